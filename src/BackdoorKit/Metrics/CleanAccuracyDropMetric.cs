namespace BackdoorKit.Metrics;

/// <summary>
/// Clean accuracy drop (CAD): the mean clean accuracy of the clean (eps = 0) baselines with the same dataset, model and
/// protocol, minus this model's clean accuracy. Positive values mean the backdoor cost accuracy.
/// </summary>
public sealed class CleanAccuracyDropMetric : IMetric
{
    private static readonly CleanAccuracyMetric Accuracy = new();

    /// <summary>Initializes a new instance of the <see cref="CleanAccuracyDropMetric"/> class.</summary>
    /// <param name="baselineAccuracies">Clean accuracies of the baseline models (at least one, each in [0, 1]).</param>
    /// <exception cref="ArgumentException">No baseline, or a value outside [0, 1].</exception>
    public CleanAccuracyDropMetric(IReadOnlyCollection<double> baselineAccuracies)
    {
        ArgumentNullException.ThrowIfNull(baselineAccuracies);
        if (baselineAccuracies.Count == 0)
        {
            throw new ArgumentException("baselineAccuracies must hold at least one clean model's accuracy.", nameof(baselineAccuracies));
        }

        foreach (double accuracy in baselineAccuracies)
        {
            if (!(accuracy >= 0 && accuracy <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(baselineAccuracies), accuracy, "baseline accuracies must lie in [0, 1].");
            }
        }

        BaselineAccuracy = baselineAccuracies.Average();
    }

    /// <summary>Gets the mean clean accuracy of the baselines.</summary>
    public double BaselineAccuracy { get; }

    /// <inheritdoc />
    public string Name => "clean-accuracy-drop";

    /// <summary>Computes CAD from an already measured clean accuracy.</summary>
    /// <param name="cleanAccuracy">The poisoned model's clean accuracy.</param>
    /// <returns>The baseline mean minus <paramref name="cleanAccuracy"/>.</returns>
    public double FromAccuracy(double cleanAccuracy) => BaselineAccuracy - cleanAccuracy;

    /// <inheritdoc />
    public double Compute(EvaluationOutcome outcome) => FromAccuracy(Accuracy.Compute(outcome));
}
