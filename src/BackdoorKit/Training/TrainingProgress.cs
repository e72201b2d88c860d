namespace BackdoorKit.Training;

/// <summary>A training progress report, sent after every optimizer step.</summary>
/// <param name="Epoch">The current epoch, one-based.</param>
/// <param name="Epochs">The number of epochs.</param>
/// <param name="Step">The step within the epoch, one-based.</param>
/// <param name="StepsPerEpoch">The number of steps per epoch.</param>
/// <param name="Loss">The step's mean cross-entropy loss.</param>
/// <param name="Elapsed">Time spent training so far.</param>
/// <param name="Remaining">Estimated time until training ends, from the mean step time so far.</param>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    TimeSpan Elapsed,
    TimeSpan Remaining)
{
    /// <summary>Gets the fraction of all steps done, in [0, 1].</summary>
    public double Fraction => (((Epoch - 1) * (double)StepsPerEpoch) + Step) / (Epochs * (double)StepsPerEpoch);
}
