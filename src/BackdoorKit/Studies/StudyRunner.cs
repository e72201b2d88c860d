using System.Diagnostics;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace BackdoorKit.Studies;

/// <summary>
/// Runs a list of experiments into a result store: skips those whose id is stored, writes each result (or failure) the
/// moment it finishes, keeps going when one experiment fails, and stops cleanly between experiments when cancelled. Runs several experiments at once when asked
/// (each then should get a share of the cores: see <see cref="Training.ComputeOptions.Threads"/>).
/// </summary>
public sealed partial class StudyRunner
{
    private readonly IExperimentRunner runner;
    private readonly IResultStore store;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="StudyRunner"/> class.</summary>
    /// <param name="runner">Runs one experiment.</param>
    /// <param name="store">Receives the results.</param>
    /// <param name="logger">Receives one line per experiment.</param>
    public StudyRunner(IExperimentRunner runner, IResultStore store, ILogger<StudyRunner>? logger = null)
    {
        this.runner = runner ?? throw new ArgumentNullException(nameof(runner));
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Runs every experiment of <paramref name="specs"/> that has no stored result. An experiment that throws (a
    /// diverged loss, a missing file, running out of memory) is stored as an <see cref="ExperimentFailure"/> and the
    /// sweep goes on; the next call retries it. Only cancellation, a broken native runtime and store errors end the
    /// sweep early.
    /// </summary>
    /// <param name="specs">The experiments, in order.</param>
    /// <param name="parallelism">How many experiments run at once, in [1, 64].</param>
    /// <param name="progress">Receives a report when an experiment starts and finishes.</param>
    /// <param name="cancellationToken">Stops starting new experiments; the ones running finish their current step and are dropped.</param>
    /// <returns>How many experiments were already done, succeeded now and failed now.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; every finished result is stored.</exception>
    /// <exception cref="NativeRuntimeException">LibTorch cannot run on this machine; no experiment could.</exception>
    public StudyRunSummary Run(
        IReadOnlyList<ExperimentSpec> specs,
        int parallelism = 1,
        IProgress<StudyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (parallelism is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, $"parallelism must be in [1, 64]; got {parallelism}.");
        }

        IReadOnlySet<string> stored = store.CompletedIds();
        ExperimentSpec[] pending = specs.Where(s => !stored.Contains(s.Id)).DistinctBy(s => s.Id).ToArray();
        int total = specs.Select(s => s.Id).Distinct().Count();
        int alreadyDone = total - pending.Length;
        int done = alreadyDone;
        int succeeded = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        LogStart(logger, pending.Length, total, alreadyDone);

        void RunOne(ExperimentSpec spec, CancellationToken token)
        {
            progress?.Report(new StudyProgress(Volatile.Read(ref done), total, spec, false, clock.Elapsed, Remaining()));
            var experimentClock = Stopwatch.StartNew();
            ExperimentResult? result = null;
            ExperimentFailure? failure = null;
            try
            {
                result = runner.Run(spec, null, token);
            }
            catch (Exception e) when (!IsFatal(e, token))
            {
                failure = ExperimentFailure.From(spec, e, experimentClock.Elapsed, DeviceName());
            }

            int now = Interlocked.Increment(ref done);
            if (result is not null)
            {
                store.Add(result);
                Interlocked.Increment(ref succeeded);
                LogFinished(logger, now, total, spec.Id, result.CleanAccuracy, result.AttackSuccessRate ?? double.NaN, result.DurationSeconds);
            }
            else
            {
                store.AddFailure(failure!);
                Interlocked.Increment(ref failed);
                LogFailed(logger, now, total, spec.Id, failure!.ErrorType, failure.Message);
            }

            progress?.Report(new StudyProgress(now, total, spec, true, clock.Elapsed, Remaining(), result, failure));
        }

        TimeSpan? Remaining()
        {
            int finished = Volatile.Read(ref succeeded) + Volatile.Read(ref failed);
            int left = total - Volatile.Read(ref done);
            return finished == 0 ? null : clock.Elapsed / finished * left;
        }

        if (parallelism == 1)
        {
            foreach (ExperimentSpec spec in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunOne(spec, cancellationToken);
            }
        }
        else
        {
            try
            {
                Parallel.ForEach(
                    pending,
                    new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                    spec => RunOne(spec, cancellationToken));
            }
            catch (AggregateException e)
            {
                // Only fatal errors escape RunOne: rethrow the first one as itself, not wrapped.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(
                    e.InnerExceptions.FirstOrDefault(i => i is not OperationCanceledException) ?? e.InnerExceptions[0]).Throw();
            }
        }

        return new StudyRunSummary(total, alreadyDone, succeeded, failed);
    }

    private static bool IsFatal(Exception e, CancellationToken token) =>
        (e is OperationCanceledException && token.IsCancellationRequested) || e is NativeRuntimeException;

    private string? DeviceName()
    {
        try
        {
            return (runner as ExperimentRunner)?.Options.Compute.ResolveDevice().ToString();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NativeRuntimeException)
        {
            return (runner as ExperimentRunner)?.Options.Compute.Device;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "study: {Pending} of {Total} experiments to run ({Done} already stored)")]
    private static partial void LogStart(ILogger logger, int pending, int total, int done);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Done}/{Total}] {Id}: clean accuracy {Accuracy:F4}, ASR {Asr:F4}, {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, int done, int total, string id, double accuracy, double asr, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Done}/{Total}] {Id} failed ({ErrorType}): {Message}; the study goes on and the next run retries it")]
    private static partial void LogFailed(ILogger logger, int done, int total, string id, string errorType, string message);
}
