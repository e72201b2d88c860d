namespace BackdoorKit.Experiments.Estimation;

/// <summary>
/// The time of one step (a training step or an evaluation batch) as a function of its batch size:
/// <c>fixed + perSample x batch</c>, fitted to measured steps.
/// </summary>
public sealed record StepCost
{
    /// <summary>Initializes a new instance of the <see cref="StepCost"/> class.</summary>
    /// <param name="fixedSeconds">The per-step time that does not grow with the batch, in seconds; at least 0 and finite.</param>
    /// <param name="secondsPerSample">The time each sample adds, in seconds; at least 0 and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite; the message names it.</exception>
    public StepCost(double fixedSeconds, double secondsPerSample)
    {
        FixedSeconds = Check(fixedSeconds, nameof(fixedSeconds));
        SecondsPerSample = Check(secondsPerSample, nameof(secondsPerSample));
    }

    /// <summary>Gets the per-step time that does not grow with the batch, in seconds.</summary>
    public double FixedSeconds { get; }

    /// <summary>Gets the time each sample adds, in seconds.</summary>
    public double SecondsPerSample { get; }

    /// <summary>
    /// Fits the cost to measurements: the line through the two largest batch sizes measured (the ones closest to the
    /// real batch), or through the origin and the single measurement when only one batch size was measured, or when the
    /// line would give a negative fixed or per-sample time (noise, or a per-sample cost that changes with the batch).
    /// </summary>
    /// <param name="timings">The measurements; at least one.</param>
    /// <returns>The fitted cost.</returns>
    /// <exception cref="ArgumentException">No measurement is given, or two have the same batch size.</exception>
    public static StepCost Fit(IReadOnlyList<StepTiming> timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        if (timings.Count == 0)
        {
            throw new ArgumentException("timings must hold at least one measurement.", nameof(timings));
        }

        if (timings.DistinctBy(t => t.BatchSize).Count() != timings.Count)
        {
            throw new ArgumentException(
                $"timings must have distinct batch sizes; got {string.Join(", ", timings.Select(t => t.BatchSize))}.", nameof(timings));
        }

        StepTiming[] largest = [.. timings.OrderByDescending(t => t.BatchSize).Take(2)];
        StepTiming big = largest[0];
        var proportional = new StepCost(0, big.SecondsPerStep / big.BatchSize);
        if (largest.Length == 1)
        {
            return proportional;
        }

        StepTiming small = largest[1];
        double perSample = (big.SecondsPerStep - small.SecondsPerStep) / (big.BatchSize - small.BatchSize);
        double fixedSeconds = big.SecondsPerStep - (perSample * big.BatchSize);
        return fixedSeconds < 0 || perSample < 0 ? proportional : new StepCost(fixedSeconds, perSample);
    }

    /// <summary>Returns the time of one step of <paramref name="batchSize"/> samples.</summary>
    /// <param name="batchSize">The batch size, at least 1.</param>
    /// <returns>The time in seconds.</returns>
    public double Seconds(long batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return FixedSeconds + (SecondsPerSample * batchSize);
    }

    private static double Check(double value, string name) => double.IsFinite(value) && value >= 0
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0 and finite; got {value}.");
}
