using BackdoorKit.Experiments;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// The paper's Figures 3-17: ASR heat maps of poisoning rate (rows) x trigger size (columns), one panel per model, for
/// one dataset, color and position. Each cell is the mean ASR over repetitions, printed in percent; cells never run are blank.
/// </summary>
public static class HeatMapFigure
{
    /// <summary>Lists the (dataset, color, position) combinations that have backdoored results, one figure each.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The combinations, ordered.</returns>
    public static IReadOnlyList<(string Dataset, string Color, string Position)> Combinations(IEnumerable<ExperimentResult> results) =>
        [.. StudyResults.Backdoored(results).Select(r => (r.Spec.Dataset, r.Spec.Trigger!.Color, r.Spec.Trigger.Position)).Distinct().Order()];

    /// <summary>Counts the distinct (trigger size, poisoning rate) cells of a combination: what its heat map would show per model.</summary>
    /// <param name="results">The results.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="color">The trigger color (<c>#RRGGBB</c>).</param>
    /// <param name="position">The trigger position.</param>
    /// <returns>The number of cells.</returns>
    public static int CellCount(IEnumerable<ExperimentResult> results, string dataset, string color, string position) =>
        Select(results, dataset, color, position, AsrDefinition.ExcludingTarget).Select(r => (r.Spec.Trigger!.Size, r.Spec.PoisoningRate)).Distinct().Count();

    /// <summary>Draws the figure.</summary>
    /// <param name="results">The results; those of other datasets, colors and positions are ignored.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="color">The trigger color (<c>#RRGGBB</c>).</param>
    /// <param name="position">The trigger position.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The plot; save it with <see cref="FigureFiles.Save"/>.</returns>
    public static Plot Create(IEnumerable<ExperimentResult> results, string dataset, string color, string position, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        ExperimentResult[] cells = [.. Select(results, dataset, color, position, asr)];
        string[] models = [.. cells.Select(r => r.Spec.Model).Distinct().Order(StringComparer.Ordinal)];
        double[] sizes = [.. cells.Select(r => r.Spec.Trigger!.Size).Distinct().Order()];
        double[] rates = [.. cells.Select(r => r.Spec.PoisoningRate).Distinct().OrderDescending()];
        var panels = models.Select(model => (model, HeatMapPanels.Means(rates.Length, sizes.Length, (i, j) => cells
            .Where(r => r.Spec.Model == model && r.Spec.PoisoningRate == rates[i] && r.Spec.Trigger!.Size == sizes[j])
            .Select(r => Asr.Of(r, asr)!.Value)))).ToArray();
        return HeatMapPanels.Draw(
            panels,
            [.. rates.Select(Levels.Percent)],
            [.. sizes.Select(Levels.Percent)],
            ($"ASR (%, {Asr.Name(asr)}): {dataset}, {Levels.ColorName(color)} trigger, {position}", "trigger size (% of the image side)", "poisoning rate eps"));
    }

    /// <summary>Gets a file name for a combination, e.g. <c>heatmap-mnist-FFFFFF-bottom-right</c>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="color">The color.</param>
    /// <param name="position">The position.</param>
    /// <returns>The file name without extension.</returns>
    public static string FileName(string dataset, string color, string position) =>
        $"heatmap-{dataset}-{color.TrimStart('#')}-{position}";

    private static IEnumerable<ExperimentResult> Select(IEnumerable<ExperimentResult> results, string dataset, string color, string position, AsrDefinition asr) =>
        StudyResults.Backdoored(results, asr).Where(r => r.Spec.Dataset == dataset && r.Spec.Trigger!.Color == color && r.Spec.Trigger.Position == position);
}
