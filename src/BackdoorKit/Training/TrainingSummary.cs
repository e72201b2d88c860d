namespace BackdoorKit.Training;

/// <summary>What a training run did.</summary>
/// <param name="FinalLoss">The mean loss of the last epoch.</param>
/// <param name="Steps">The number of optimizer steps.</param>
/// <param name="Duration">The wall-clock training time.</param>
public readonly record struct TrainingSummary(double FinalLoss, int Steps, TimeSpan Duration);
