namespace BackdoorKit.Metrics;

/// <summary>The fraction of clean test samples classified correctly.</summary>
public sealed class CleanAccuracyMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "clean-accuracy";

    /// <inheritdoc />
    public double Compute(EvaluationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        int correct = 0;
        for (int i = 0; i < outcome.CleanLabels.Count; i++)
        {
            correct += outcome.CleanLabels[i] == outcome.CleanPredictions[i] ? 1 : 0;
        }

        return outcome.CleanLabels.Count == 0 ? double.NaN : (double)correct / outcome.CleanLabels.Count;
    }
}
