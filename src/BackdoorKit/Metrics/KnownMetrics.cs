namespace BackdoorKit.Metrics;

/// <summary>The metrics that ship with BackdoorKit.</summary>
public static class KnownMetrics
{
    /// <summary>Gets clean accuracy on the clean test set.</summary>
    public static IMetric CleanAccuracy { get; } = new CleanAccuracyMetric();

    /// <summary>Gets the attack success rate excluding test samples of the target class (the headline ASR).</summary>
    public static IMetric AttackSuccessRate { get; } = new AttackSuccessRateMetric(includeTargetClass: false);

    /// <summary>Gets the attack success rate including test samples of the target class (the published code's ASR).</summary>
    public static IMetric AttackSuccessRateIncludingTarget { get; } = new AttackSuccessRateMetric(includeTargetClass: true);

    /// <summary>Gets the metrics every experiment records.</summary>
    public static IReadOnlyList<IMetric> Standard { get; } = [CleanAccuracy, AttackSuccessRate, AttackSuccessRateIncludingTarget];

    /// <summary>Creates the clean accuracy drop against the given clean baselines.</summary>
    /// <param name="baselineAccuracies">Clean accuracies of the eps = 0 models with the same dataset, model and protocol.</param>
    /// <returns>The CAD metric.</returns>
    public static CleanAccuracyDropMetric CleanAccuracyDrop(IReadOnlyCollection<double> baselineAccuracies) => new(baselineAccuracies);
}
