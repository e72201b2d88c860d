using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// Effective and stealthy triggers: the trigger settings (dataset, model, size, position, color, poisoning rate) whose
/// mean ASR reaches a bar, with each defense's detection metrics (those ending in <c>.auroc</c>, <c>.far</c> or
/// <c>.tpr</c>), the least detected first: ordered by the mean of their detection scores, where a false acceptance rate
/// counts as 1 - FAR (a trigger that passes STRIP is not detected).
/// </summary>
public static class StealthTable
{
    /// <summary>Builds the table.</summary>
    /// <param name="results">The results.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <param name="minimumAsr">The mean ASR a setting needs to count as effective, in [0, 1].</param>
    /// <returns>The table; null when no result holds a detection metric.</returns>
    public static TextTable? Build(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget, double minimumAsr = 0.8)
    {
        ExperimentResult[] backdoored = [.. StudyResults.Backdoored(results, asr)];
        string[] metrics = [.. Figures.DetectabilityFigure.Metrics(backdoored)];
        if (metrics.Length == 0)
        {
            return null;
        }

        var rows = backdoored
            .GroupBy(r => (r.Spec.Dataset, r.Spec.Model, r.Spec.Trigger!.Size, r.Spec.Trigger.Position, r.Spec.Trigger.Color, r.Spec.PoisoningRate))
            .Select(g => (Key: g.Key, Asr: g.Average(r => Asr.Of(r, asr)!.Value), Values: metrics.Select(m => Mean(g, m)).ToArray()))
            .Where(s => s.Asr >= minimumAsr)
            .Select(s => (s.Key, s.Asr, s.Values, Detection: Detection(metrics, s.Values)))
            .OrderBy(s => double.IsNaN(s.Detection) ? double.MaxValue : s.Detection)
            .ThenByDescending(s => s.Asr)
            .Select(s => (IReadOnlyList<string>)[
                s.Key.Dataset, s.Key.Model, Levels.Percent(s.Key.Size), s.Key.Position, Levels.ColorName(s.Key.Color), Levels.Percent(s.Key.PoisoningRate),
                TextTable.Fraction(s.Asr), .. s.Values.Select(v => double.IsNaN(v) ? "-" : TextTable.Fraction(v)),
                double.IsNaN(s.Detection) ? "-" : TextTable.Fraction(s.Detection)])
            .ToList();
        return new TextTable(
            string.Create(CultureInfo.InvariantCulture, $"Effective and stealthy triggers: settings with mean ASR >= {minimumAsr:0.##} ({Asr.Name(asr)}), least detected first"),
            ["dataset", "model", "size", "position", "color", "eps", "ASR", .. metrics, "detection"],
            rows);
    }

    private static double Mean(IEnumerable<ExperimentResult> results, string metric)
    {
        double[] values = [.. results.Select(r => r.Metrics.GetValueOrDefault(metric, double.NaN)).Where(v => !double.IsNaN(v))];
        return values.Length == 0 ? double.NaN : values.Average();
    }

    private static double Detection(string[] metrics, double[] values)
    {
        double[] scores = [.. metrics.Select((m, i) => m.EndsWith(".far", StringComparison.Ordinal) ? 1 - values[i] : values[i]).Where(v => !double.IsNaN(v))];
        return scores.Length == 0 ? double.NaN : scores.Average();
    }
}
