using System.Diagnostics;
using BackdoorKit.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackdoorKit.Experiments;

/// <summary>
/// Runs a list of experiments into a result store: skips those whose id is stored, writes each result the moment it
/// finishes, and stops cleanly between experiments when cancelled. Runs several experiments at once when asked
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

    /// <summary>Runs every experiment of <paramref name="specs"/> that has no stored result.</summary>
    /// <param name="specs">The experiments, in order.</param>
    /// <param name="parallelism">How many experiments run at once, in [1, 64].</param>
    /// <param name="progress">Receives a report when an experiment starts and finishes.</param>
    /// <param name="cancellationToken">Stops starting new experiments; the ones running finish their current step and are dropped.</param>
    /// <returns>The number of experiments run now.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; every finished result is stored.</exception>
    public int Run(
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
        int done = total - pending.Length;
        int ranNow = 0;
        var clock = Stopwatch.StartNew();
        LogStart(logger, pending.Length, total, done);

        void RunOne(ExperimentSpec spec, CancellationToken token)
        {
            progress?.Report(new StudyProgress(Volatile.Read(ref done), total, spec, false, clock.Elapsed, Remaining()));
            ExperimentResult result = runner.Run(spec, null, token);
            store.Add(result);
            Interlocked.Increment(ref ranNow);
            int now = Interlocked.Increment(ref done);
            LogFinished(logger, now, total, spec.Id, result.CleanAccuracy, result.AttackSuccessRate ?? double.NaN, result.DurationSeconds);
            progress?.Report(new StudyProgress(now, total, spec, true, clock.Elapsed, Remaining(), result));
        }

        TimeSpan? Remaining()
        {
            int finished = Volatile.Read(ref ranNow);
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
            Parallel.ForEach(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                spec => RunOne(spec, cancellationToken));
        }

        return ranNow;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "study: {Pending} of {Total} experiments to run ({Done} already stored)")]
    private static partial void LogStart(ILogger logger, int pending, int total, int done);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Done}/{Total}] {Id}: clean accuracy {Accuracy:F4}, ASR {Asr:F4}, {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, int done, int total, string id, double accuracy, double asr, double seconds);
}
