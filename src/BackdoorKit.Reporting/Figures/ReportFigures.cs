using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// Writes a report's figures: a rate x size heat map per dataset, color and position with enough (size, rate) cells,
/// a position x color grid per dataset, size and rate of the smaller blocks, and the freeze-index plots; and finds the
/// Grad-CAM and feature-map figures already in the folder.
/// </summary>
internal static class ReportFigures
{
    /// <summary>Writes the figures into <paramref name="directory"/>.</summary>
    /// <returns>Each figure's title and PNG path, in report order.</returns>
    public static IReadOnlyList<(string Title, string Png)> Write(IReadOnlyList<ExperimentResult> results, ReportOptions options, AsrDefinition asr, string directory)
    {
        var figures = new List<(string Title, string Png)>();
        var gridLevels = new HashSet<(string Dataset, double Size, double Rate)>();
        foreach ((string dataset, string color, string position) in HeatMapFigure.Combinations(results))
        {
            if (HeatMapFigure.CellCount(results, dataset, color, position) < options.MinimumHeatMapCells)
            {
                gridLevels.UnionWith(StudyResults.Backdoored(results, asr)
                    .Where(r => r.Spec.Dataset == dataset && r.Spec.Trigger!.Color == color && r.Spec.Trigger.Position == position)
                    .Select(r => (dataset, r.Spec.Trigger!.Size, r.Spec.PoisoningRate)));
                continue;
            }

            figures.Add(($"ASR heat map: {dataset}, {Levels.ColorName(color)} trigger, {position}", FigureFiles.Save(
                HeatMapFigure.Create(results, dataset, color, position, asr), directory, HeatMapFigure.FileName(dataset, color, position),
                Width(results, dataset, options), options.FigureHeight)));
        }

        string[] datasets = Levels.Datasets(gridLevels.Select(l => l.Dataset));
        foreach ((string dataset, double size, double rate) in gridLevels.OrderBy(l => Array.IndexOf(datasets, l.Dataset)).ThenBy(l => l.Size).ThenBy(l => l.Rate))
        {
            figures.Add(($"ASR by position and color: {dataset}, size {Levels.Percent(size)}, eps {Levels.Percent(rate)}", FigureFiles.Save(
                PositionColorGridFigure.Create(results, dataset, size, rate, asr), directory, PositionColorGridFigure.FileName(dataset, size, rate),
                Width(results, dataset, options), options.FigureHeight)));
        }

        foreach (string dataset in FreezeIndexFigure.Datasets(results))
        {
            foreach (FreezeIndexLines lines in Enum.GetValues<FreezeIndexLines>())
            {
                string by = lines.ToString().ToLowerInvariant();
                figures.Add(($"ASR against freeze index: {dataset}, by {by}", FigureFiles.Save(
                    FreezeIndexFigure.Create(results, dataset, lines, asr), directory, $"freeze-index-{dataset}-{by}", 800, options.FigureHeight)));
            }
        }

        string[] explanations = Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*.png").Where(f => Path.GetFileName(f).StartsWith("gradcam", StringComparison.Ordinal)
                || Path.GetFileName(f).StartsWith("feature-maps", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];
        figures.AddRange(explanations.Select(f => ($"Grad-CAM / feature maps: {Path.GetFileNameWithoutExtension(f)}", f)));
        return figures;
    }

    private static int Width(IReadOnlyList<ExperimentResult> results, string dataset, ReportOptions options) =>
        Math.Max(640, (options.PanelWidth * results.Where(r => r.Spec.Dataset == dataset).Select(r => r.Spec.Model).Distinct().Count()) + 260);
}
