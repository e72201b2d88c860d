using BackdoorKit.Metrics;

namespace BackdoorKit.Consumer.Tests;

/// <summary>The share of test images whose predicted class changes when the trigger is added (the triggered set holds every test image, in order).</summary>
public sealed class PredictionFlipMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "prediction-flip";

    /// <inheritdoc />
    public double Compute(EvaluationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        int n = outcome.TriggeredPredictions.Count;
        if (n == 0 || n != outcome.CleanPredictions.Count)
        {
            return double.NaN;
        }

        return Enumerable.Range(0, n).Count(i => outcome.TriggeredPredictions[i] != outcome.CleanPredictions[i]) / (double)n;
    }
}
