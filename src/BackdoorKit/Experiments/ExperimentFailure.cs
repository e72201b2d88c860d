using BackdoorKit.Runtime;

namespace BackdoorKit.Experiments;

/// <summary>
/// An experiment that ended with an error instead of a result: stored apart from the results (never counted as
/// done), listed by <c>status</c>, exports and reports, and retried by the next run of the study.
/// </summary>
public sealed record ExperimentFailure
{
    /// <summary>Gets the experiment id (<see cref="ExperimentSpec.Id"/>).</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Gets the experiment's full description.</summary>
    public required ExperimentSpec Spec { get; init; }

    /// <summary>Gets the exception's type name (e.g. <c>TrainingDivergedException</c>).</summary>
    public required string ErrorType { get; init; }

    /// <summary>Gets the exception's message on one line.</summary>
    public required string Message { get; init; }

    /// <summary>Gets how long the experiment ran before it failed, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Gets the device the study ran on (<c>cpu</c>, <c>cuda:0</c>), or empty when unknown.</summary>
    public string Device { get; init; } = string.Empty;

    /// <summary>Gets LibTorch's intra-op thread count when it failed, or 0 when the runtime was not initialised.</summary>
    public int Threads { get; init; }

    /// <summary>Gets the BackdoorKit version.</summary>
    public string BackdoorKitVersion { get; init; } = string.Empty;

    /// <summary>Gets the TorchSharp version, or empty when the runtime was not initialised.</summary>
    public string TorchSharpVersion { get; init; } = string.Empty;

    /// <summary>Gets when the experiment failed.</summary>
    public DateTimeOffset FailedAt { get; init; }

    /// <summary>Describes a failed experiment from the exception that ended it.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="exception">What ended it (an <see cref="AggregateException"/> with one inner exception is unwrapped).</param>
    /// <param name="duration">How long it ran.</param>
    /// <param name="device">The device it ran on, or null when unknown.</param>
    /// <returns>The failure record.</returns>
    public static ExperimentFailure From(ExperimentSpec spec, Exception exception, TimeSpan duration, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        NativeRuntimeInfo? runtime = TorchRuntime.Info;
        return new ExperimentFailure
        {
            ExperimentId = spec.Id,
            Spec = spec,
            ErrorType = exception.GetType().Name,
            Message = OneLine(exception.Message),
            DurationSeconds = duration.TotalSeconds,
            Device = device ?? string.Empty,
            Threads = runtime is null ? 0 : TorchSharp.torch.get_num_threads(),
            BackdoorKitVersion = runtime?.BackdoorKitVersion ?? typeof(ExperimentFailure).Assembly.GetName().Version?.ToString() ?? string.Empty,
            TorchSharpVersion = runtime?.TorchSharpVersion ?? string.Empty,
            FailedAt = DateTimeOffset.UtcNow,
        };
    }

    private static string OneLine(string message)
    {
        string line = string.Join(' ', message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 1000 ? line : line[..997] + "...";
    }
}
