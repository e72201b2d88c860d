using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>Decides whether two results for the same experiment id agree (same measured numbers; timings may differ).</summary>
internal static class ResultComparison
{
    public static bool Agree(ExperimentResult a, ExperimentResult b) =>
        a.ExperimentId == b.ExperimentId
        && a.CleanAccuracy.Equals(b.CleanAccuracy)
        && Nullable.Equals(a.AttackSuccessRate, b.AttackSuccessRate)
        && Nullable.Equals(a.AttackSuccessRateIncludingTarget, b.AttackSuccessRateIncludingTarget)
        && a.PoisonedCount == b.PoisonedCount
        && a.Metrics.Count == b.Metrics.Count
        && a.Metrics.All(m => b.Metrics.TryGetValue(m.Key, out double other) && m.Value.Equals(other));

    public static string Describe(ExperimentResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"accuracy {r.CleanAccuracy:R}, ASR {r.AttackSuccessRate?.ToString("R", CultureInfo.InvariantCulture) ?? "none"}");
}
