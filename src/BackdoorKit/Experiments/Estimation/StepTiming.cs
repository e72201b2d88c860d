namespace BackdoorKit.Experiments.Estimation;

/// <summary>One measurement of a calibration: the fastest of <see cref="Steps"/> timed steps at one batch size.</summary>
public sealed record StepTiming
{
    /// <summary>Initializes a new instance of the <see cref="StepTiming"/> class.</summary>
    /// <param name="batchSize">The batch size, at least 1.</param>
    /// <param name="steps">The number of timed steps, at least 1.</param>
    /// <param name="secondsPerStep">The fastest step's time, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it.</exception>
    public StepTiming(int batchSize, int steps, double secondsPerStep)
    {
        BatchSize = batchSize >= 1
            ? batchSize
            : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be >= 1; got {batchSize}.");
        Steps = steps >= 1
            ? steps
            : throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be >= 1; got {steps}.");
        SecondsPerStep = double.IsFinite(secondsPerStep) && secondsPerStep > 0
            ? secondsPerStep
            : throw new ArgumentOutOfRangeException(nameof(secondsPerStep), secondsPerStep, $"secondsPerStep must be positive and finite; got {secondsPerStep}.");
    }

    /// <summary>Gets the batch size.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the number of timed steps.</summary>
    public int Steps { get; }

    /// <summary>Gets the fastest step's time in seconds.</summary>
    public double SecondsPerStep { get; }
}
