namespace BackdoorKit.Metrics;

/// <summary>
/// The fraction of triggered test samples classified as the attack's target for them
/// (<see cref="EvaluationOutcome.TriggeredTargets"/>: the target class, or the next class for an all-to-all attack).
/// Excluding samples whose true class is already their target (the headline definition) measures only flips the
/// trigger caused; including them is the published code's definition, which credits the backdoor with samples that
/// were already the target. All-to-all attacks change every label, so both give the same number for them.
/// </summary>
/// <param name="includeTargetClass">Whether test samples of the target class count.</param>
public sealed class AttackSuccessRateMetric(bool includeTargetClass) : IMetric
{
    /// <summary>Gets a value indicating whether samples whose true class is the target count.</summary>
    public bool IncludeTargetClass { get; } = includeTargetClass;

    /// <inheritdoc />
    public string Name => IncludeTargetClass ? "attack-success-rate-including-target" : "attack-success-rate";

    /// <inheritdoc />
    public double Compute(EvaluationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        int counted = 0;
        int hits = 0;
        for (int i = 0; i < outcome.TriggeredSourceLabels.Count; i++)
        {
            long target = outcome.TriggeredTargets[i];
            if (!IncludeTargetClass && outcome.TriggeredSourceLabels[i] == target)
            {
                continue;
            }

            counted++;
            hits += outcome.TriggeredPredictions[i] == target ? 1 : 0;
        }

        return counted == 0 ? double.NaN : (double)hits / counted;
    }
}
