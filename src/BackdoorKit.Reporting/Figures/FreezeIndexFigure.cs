using BackdoorKit.Experiments;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// The paper's Figures 2 and 18: ASR against the freeze depth of the freeze study (<see cref="FreezeDepth"/>: the freeze
/// index j of the paper's AlexNet study, or the trainable stages k of <c>train-last-k-stages</c>), one line per trigger
/// size (at the largest rate) or per poisoning rate (at the largest size), mean over repetitions. When a dataset has
/// several kinds of depth, the most frequent one is drawn. Where the study trained the same setting from scratch
/// (random weights, no freeze depth, e.g. the <c>quick</c> preset's <c>from-scratch</c> block), a dashed line of the
/// line's color marks its mean ASR: the end of the axis where nothing is pretrained.
/// </summary>
public static class FreezeIndexFigure
{
    /// <summary>Lists the datasets with freeze-study results.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The datasets, ordered.</returns>
    public static IReadOnlyList<string> Datasets(IEnumerable<ExperimentResult> results) =>
        [.. StudyResults.FreezeStudy(results).Select(x => x.Result.Spec.Dataset).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Draws the figure for one dataset.</summary>
    /// <param name="results">The results; only the freeze study's are used.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="lines">Whether lines vary the size or the rate.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The plot.</returns>
    public static Plot Create(IEnumerable<ExperimentResult> results, string dataset, FreezeIndexLines lines, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        var ofDataset = StudyResults.FreezeStudy(results, asr).Where(x => x.Result.Spec.Dataset == dataset).ToArray();
        string kind = ofDataset.GroupBy(x => x.Depth.Kind).OrderByDescending(g => g.Count()).First().Key;
        var study = ofDataset.Where(x => x.Depth.Kind == kind).ToArray();
        double maxSize = study.Max(x => x.Result.Spec.Trigger!.Size);
        double maxRate = study.Max(x => x.Result.Spec.PoisoningRate);
        var selected = lines == FreezeIndexLines.Sizes
            ? study.Where(x => x.Result.Spec.PoisoningRate == maxRate).GroupBy(x => x.Result.Spec.Trigger!.Size)
            : study.Where(x => x.Result.Spec.Trigger!.Size == maxSize).GroupBy(x => x.Result.Spec.PoisoningRate);
        var plot = new Plot();
        foreach (var line in selected.OrderBy(g => g.Key))
        {
            var points = line.GroupBy(x => x.Depth.Value).OrderBy(g => g.Key).ToArray();
            double[] xs = [.. points.Select(p => (double)p.Key)];
            double[] ys = [.. points.Select(p => 100 * p.Average(x => Asr.Of(x.Result, asr)!.Value))];
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = (lines == FreezeIndexLines.Sizes ? "size " : "eps ") + Levels.Percent(line.Key);
            scatter.MarkerSize = 6;
            if (FromScratch(results, study, lines, line.Key, asr) is double scratch)
            {
                var reference = plot.Add.HorizontalLine(100 * scratch);
                reference.LinePattern = LinePattern.Dashed;
                reference.Color = scatter.Color;
                reference.LegendText = scatter.LegendText + ", from scratch";
            }
        }

        string fixedPart = lines == FreezeIndexLines.Sizes
            ? $"eps {Levels.Percent(maxRate)}"
            : $"size {Levels.Percent(maxSize)}";
        plot.Title($"ASR against freeze depth: {dataset}, {study[0].Result.Spec.Model}, {fixedPart}");
        plot.XLabel(study[0].Depth.AxisLabel);
        plot.YLabel($"ASR (%, {Asr.Name(asr)})");
        plot.Axes.SetLimitsY(-5, 105);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Gets the mean ASR of the line's setting trained from scratch, or null when the study has none.</summary>
    private static double? FromScratch(
        IEnumerable<ExperimentResult> results, (FreezeDepth Depth, ExperimentResult Result)[] study, FreezeIndexLines lines, double key, AsrDefinition asr)
    {
        HashSet<object> line = [.. study.Select(x => x.Result.Spec)
            .Where(s => lines == FreezeIndexLines.Sizes ? s.Trigger!.Size == key : s.PoisoningRate == key)
            .Select(StudyResults.Setting)];
        double[] asrs = [.. results
            .Where(r => r.Spec.Weights == "random" && !FreezeDepth.TryParse(r.Spec.FreezeStrategy, out _) && Asr.Of(r, asr) is not null
                && line.Contains(StudyResults.Setting(r.Spec)))
            .Select(r => Asr.Of(r, asr)!.Value)];
        return asrs.Length == 0 ? null : asrs.Average();
    }
}
