namespace BackdoorKit.Metrics;

/// <summary>A number computed from a model's predictions, such as clean accuracy or attack success rate.</summary>
public interface IMetric
{
    /// <summary>Gets the metric's stable name, e.g. <c>clean-accuracy</c>.</summary>
    string Name { get; }

    /// <summary>Computes the metric.</summary>
    /// <param name="outcome">The predictions.</param>
    /// <returns>The value; rates are fractions in [0, 1]; <see cref="double.NaN"/> when undefined (no samples).</returns>
    double Compute(EvaluationOutcome outcome);
}
