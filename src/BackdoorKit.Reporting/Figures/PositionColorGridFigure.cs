using BackdoorKit.Experiments;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// The paper's Table 3 view as a figure: mean ASR over repetitions of trigger position (rows) x color (columns), one
/// panel per model, for one dataset, trigger size and poisoning rate, the value printed in percent in each cell. It
/// replaces the rate x size heat maps for blocks of the study that have too few (size, rate) cells to fill one, such as
/// the position x color block of the <c>quick</c> preset (one size, one rate).
/// </summary>
public static class PositionColorGridFigure
{
    /// <summary>Draws the figure.</summary>
    /// <param name="results">The results; those of other datasets, sizes and rates are ignored.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="size">The trigger size (fraction of the image side).</param>
    /// <param name="rate">The poisoning rate.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The plot; save it with <see cref="FigureFiles.Save"/>.</returns>
    public static Plot Create(IEnumerable<ExperimentResult> results, string dataset, double size, double rate, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        ExperimentResult[] cells = [.. StudyResults.Placed(StudyResults.Backdoored(results, asr))
            .Where(r => r.Spec.Dataset == dataset && r.Spec.Trigger!.Size == size && r.Spec.PoisoningRate == rate)];
        string[] models = [.. cells.Select(r => r.Spec.Model).Distinct().Order(StringComparer.Ordinal)];
        string[] positions = Levels.Positions(cells.Select(r => r.Spec.Trigger!.Position));
        string[] colors = Levels.Colors(cells.Select(r => r.Spec.Trigger!.Color));
        var panels = models.Select(model => (model, HeatMapPanels.Means(positions.Length, colors.Length, (i, j) => cells
            .Where(r => r.Spec.Model == model && r.Spec.Trigger!.Position == positions[i] && r.Spec.Trigger.Color == colors[j])
            .Select(r => Asr.Of(r, asr)!.Value)))).ToArray();
        return HeatMapPanels.Draw(
            panels,
            positions,
            [.. colors.Select(Levels.ColorName)],
            ($"ASR (%, {Asr.Name(asr)}): {dataset}, size {Levels.Percent(size)}, eps {Levels.Percent(rate)}", "trigger color", "trigger position"));
    }

    /// <summary>Gets a file name for a grid, e.g. <c>grid-mnist-size8-eps2</c> (percentages, <c>p</c> for a decimal point).</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="size">The trigger size.</param>
    /// <param name="rate">The poisoning rate.</param>
    /// <returns>The file name without extension.</returns>
    public static string FileName(string dataset, double size, double rate) =>
        $"grid-{dataset}-size{Number(size)}-eps{Number(rate)}";

    private static string Number(double fraction) => Levels.Percent(fraction).Replace(" %", string.Empty, StringComparison.Ordinal).Replace('.', 'p');
}
