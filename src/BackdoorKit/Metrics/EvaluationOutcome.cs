namespace BackdoorKit.Metrics;

/// <summary>
/// A model's predictions on the clean test set and on the fully triggered test set: everything the metrics need.
/// The triggered set holds every test sample, target class included, with its original label, so both ASR variants
/// come from one pass.
/// </summary>
public sealed class EvaluationOutcome
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationOutcome"/> class.</summary>
    /// <param name="cleanLabels">True labels of the clean test samples.</param>
    /// <param name="cleanPredictions">Predicted classes on the clean test samples.</param>
    /// <param name="triggeredSourceLabels">Original (pre-relabelling) labels of the triggered test samples.</param>
    /// <param name="triggeredPredictions">Predicted classes on the triggered test samples.</param>
    /// <param name="targetClass">The backdoor's target class.</param>
    /// <param name="triggeredTargets">
    /// The class each triggered sample should be classified as for the attack to succeed; null for
    /// <paramref name="targetClass"/> on every sample (all-to-one). An all-to-all attack gives each sample the class after its own.
    /// </param>
    /// <exception cref="ArgumentException">Label and prediction lists differ in length.</exception>
    public EvaluationOutcome(
        IReadOnlyList<long> cleanLabels,
        IReadOnlyList<long> cleanPredictions,
        IReadOnlyList<long> triggeredSourceLabels,
        IReadOnlyList<long> triggeredPredictions,
        int targetClass,
        IReadOnlyList<long>? triggeredTargets = null)
    {
        ArgumentNullException.ThrowIfNull(cleanLabels);
        ArgumentNullException.ThrowIfNull(cleanPredictions);
        ArgumentNullException.ThrowIfNull(triggeredSourceLabels);
        ArgumentNullException.ThrowIfNull(triggeredPredictions);
        if (cleanLabels.Count != cleanPredictions.Count)
        {
            throw new ArgumentException(
                $"cleanPredictions has {cleanPredictions.Count} entries but cleanLabels has {cleanLabels.Count}.", nameof(cleanPredictions));
        }

        if (triggeredSourceLabels.Count != triggeredPredictions.Count)
        {
            throw new ArgumentException(
                $"triggeredPredictions has {triggeredPredictions.Count} entries but triggeredSourceLabels has {triggeredSourceLabels.Count}.",
                nameof(triggeredPredictions));
        }

        if (triggeredTargets is not null && triggeredTargets.Count != triggeredSourceLabels.Count)
        {
            throw new ArgumentException(
                $"triggeredTargets has {triggeredTargets.Count} entries but triggeredSourceLabels has {triggeredSourceLabels.Count}.",
                nameof(triggeredTargets));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(targetClass);
        CleanLabels = cleanLabels;
        CleanPredictions = cleanPredictions;
        TriggeredSourceLabels = triggeredSourceLabels;
        TriggeredPredictions = triggeredPredictions;
        TargetClass = targetClass;
        TriggeredTargets = triggeredTargets ?? Enumerable.Repeat((long)targetClass, triggeredSourceLabels.Count).ToArray();
    }

    /// <summary>Gets the true labels of the clean test samples.</summary>
    public IReadOnlyList<long> CleanLabels { get; }

    /// <summary>Gets the predicted classes on the clean test samples.</summary>
    public IReadOnlyList<long> CleanPredictions { get; }

    /// <summary>Gets the original labels of the triggered test samples.</summary>
    public IReadOnlyList<long> TriggeredSourceLabels { get; }

    /// <summary>Gets the predicted classes on the triggered test samples.</summary>
    public IReadOnlyList<long> TriggeredPredictions { get; }

    /// <summary>Gets the backdoor's target class.</summary>
    public int TargetClass { get; }

    /// <summary>
    /// Gets the class each triggered sample should be classified as for the attack to succeed: the target class for an
    /// all-to-one attack, the class after the sample's own for an all-to-all one.
    /// </summary>
    public IReadOnlyList<long> TriggeredTargets { get; }
}
