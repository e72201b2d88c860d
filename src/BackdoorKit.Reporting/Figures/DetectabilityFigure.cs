using BackdoorKit.Experiments;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// How well a defense detects the backdoor, by trigger characteristic: heat maps of one defense metric (a detection
/// rate or AUROC in [0, 1], printed in percent) over poisoning rate x trigger size (averaged over positions and colors)
/// and over trigger position x color (averaged over sizes and rates), one panel per model, each cell the mean over the
/// study's other factors and repetitions.
/// </summary>
public static class DetectabilityFigure
{
    private static readonly string[] Endings = [".auroc", ".far", ".tpr"];

    /// <summary>Lists the detection metrics the results hold: defense metrics ending in <c>.auroc</c>, <c>.far</c> or <c>.tpr</c>.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The metric names, ordered.</returns>
    public static IReadOnlyList<string> Metrics(IEnumerable<ExperimentResult> results) =>
        [.. results.SelectMany(r => r.Metrics.Keys).Distinct()
            .Where(k => k.Contains('.', StringComparison.Ordinal) && Endings.Any(e => k.EndsWith(e, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];

    /// <summary>Draws a metric over poisoning rate (rows) x trigger size (columns).</summary>
    /// <param name="results">The results; those of other datasets, and those without the metric, are ignored.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="metric">The metric's name, e.g. <c>strip.auroc</c>.</param>
    /// <returns>The plot.</returns>
    public static Plot SizeByRate(IEnumerable<ExperimentResult> results, string dataset, string metric)
    {
        ExperimentResult[] cells = Select(results, dataset, metric);
        double[] sizes = [.. cells.Select(r => r.Spec.Trigger!.Size).Distinct().Order()];
        double[] rates = [.. cells.Select(r => r.Spec.PoisoningRate).Distinct().OrderDescending()];
        return Draw(
            cells,
            metric,
            rates.Length,
            sizes.Length,
            (r, i, j) => r.Spec.PoisoningRate == rates[i] && r.Spec.Trigger!.Size == sizes[j],
            [.. rates.Select(Levels.Percent)],
            [.. sizes.Select(Levels.Percent)],
            ($"{metric}: {dataset}, by size and rate", "trigger size (% of the image side)", "poisoning rate eps"));
    }

    /// <summary>Draws a metric over trigger position (rows) x color (columns).</summary>
    /// <param name="results">The results; those of other datasets, and those without the metric, are ignored.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="metric">The metric's name.</param>
    /// <returns>The plot.</returns>
    public static Plot PositionByColor(IEnumerable<ExperimentResult> results, string dataset, string metric)
    {
        ExperimentResult[] cells = [.. StudyResults.Placed(Select(results, dataset, metric))];
        string[] positions = Levels.Positions(cells.Select(r => r.Spec.Trigger!.Position));
        string[] colors = Levels.Colors(cells.Select(r => r.Spec.Trigger!.Color));
        return Draw(
            cells,
            metric,
            positions.Length,
            colors.Length,
            (r, i, j) => r.Spec.Trigger!.Position == positions[i] && r.Spec.Trigger.Color == colors[j],
            positions,
            [.. colors.Select(Levels.ColorName)],
            ($"{metric}: {dataset}, by position and color", "trigger color", "trigger position"));
    }

    /// <summary>Gets a file name, e.g. <c>defense-mnist-strip.auroc-size-rate</c>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="view"><c>size-rate</c> or <c>position-color</c>.</param>
    /// <returns>The file name without extension.</returns>
    public static string FileName(string dataset, string metric, string view) => $"defense-{dataset}-{metric}-{view}";

    /// <summary>The backdoored results of the main grid on a dataset that have the metric (not NaN): what both figures draw from.</summary>
    internal static ExperimentResult[] Select(IEnumerable<ExperimentResult> results, string dataset, string metric) =>
        [.. StudyResults.Backdoored(results).Where(r => r.Spec.Dataset == dataset && r.Metrics.TryGetValue(metric, out double v) && !double.IsNaN(v))];

    private static Plot Draw(
        ExperimentResult[] cells,
        string metric,
        int rows,
        int columns,
        Func<ExperimentResult, int, int, bool> inCell,
        IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels,
        (string Title, string X, string Y) labels)
    {
        string[] models = [.. cells.Select(r => r.Spec.Model).Distinct().Order(StringComparer.Ordinal)];
        var panels = models.Select(model => (model, HeatMapPanels.Means(rows, columns, (i, j) => cells
            .Where(r => r.Spec.Model == model && inCell(r, i, j)).Select(r => r.Metrics[metric])))).ToArray();
        return HeatMapPanels.Draw(panels, rowLabels, columnLabels, labels, metric);
    }
}
