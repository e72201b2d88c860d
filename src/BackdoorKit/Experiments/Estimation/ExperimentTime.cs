namespace BackdoorKit.Experiments.Estimation;

/// <summary>The estimated time of one experiment on the calibrated machine.</summary>
/// <param name="TrainSeconds">Every training step of every epoch.</param>
/// <param name="EvaluationSeconds">The clean evaluation batches, plus the triggered ones when the experiment has a trigger.</param>
/// <param name="OverheadSeconds">The measured time outside the steps.</param>
public sealed record ExperimentTime(double TrainSeconds, double EvaluationSeconds, double OverheadSeconds)
{
    /// <summary>Gets the total.</summary>
    public double Seconds => TrainSeconds + EvaluationSeconds + OverheadSeconds;
}
