using System.Globalization;
using System.Text.Json;
using BackdoorKit;
using BackdoorKit.Experiments;
using BackdoorKit.Features;
using BackdoorKit.Results;
using BackdoorKit.Studies;
using BackdoorKit.Training;
using Microsoft.Extensions.Logging;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>run</c> (<see cref="RunSettings"/>): runs a preset or matrix file (or one shard of it) into a study folder,
/// skipping experiments already stored there, with a progress bar (plain lines when output is redirected) and an ETA.
/// </summary>
internal sealed class RunCommand : Command<RunSettings>
{
    /// <summary>
    /// Gets a decorator of the experiment runner for the current flow only: the tests use it to make chosen experiments
    /// fail the way a diverged loss or a full disk would, which no valid input does on demand.
    /// </summary>
    internal static AsyncLocal<Func<IExperimentRunner, IExperimentRunner>?> Decorate { get; } = new();

    /// <summary>Runs the command.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="settings">The options.</param>
    /// <param name="cancellationToken">Ctrl+C: stops after the experiments in flight; every finished result is kept.</param>
    /// <returns>The exit code.</returns>
    public override int Execute(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        (ExperimentMatrix matrix, IReadOnlyList<string> arguments) = settings.LoadMatrix();
        string source = string.Join(' ', arguments);
        string folder = settings.Out;
        (int shard, int shards) = settings.ShardRange;
        int parallel = settings.Parallel;
        var runnerOptions = new ExperimentRunnerOptions
        {
            DataRoot = settings.Data,
            WeightsDirectory = settings.Weights,
            ModelsDirectory = settings.SaveModels ? StudyFolder.ModelsDirectory(folder) : null,
            FeatureCache = FeatureCacheOptions.Default with { MaxBytes = (long)settings.CacheGib << 30 },
            Defenses = [.. matrix.Defenses.Select(ComponentCatalog.Default.Defenses.Get).Concat(settings.Defenses).DistinctBy(d => d.Name)],
            Compute = new ComputeOptions
            {
                Device = settings.ComputeDevice,
                Threads = settings.Threads ?? (parallel > 1 ? Math.Max(1, Environment.ProcessorCount / parallel) : null),
            },
        };

        ExperimentPlan plan = matrix.Expand();
        IReadOnlyList<ExperimentSpec> specs = shards == 1 ? plan.All : plan.Shard(shard, shards);
        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(Terminal.Interactive ? LogLevel.Warning : LogLevel.Information));
        using var runner = new ExperimentRunner(runnerOptions, loggers);

        // Device, data and weights are checked before the study folder is touched: a bad input leaves nothing behind.
        runnerOptions.Compute.ResolveDevice();
        runner.CheckInputs(specs, cancellationToken);

        StudyFolder.CreateForWriting("out", folder);
        using var studyLock = StudyLock.Acquire(folder);
        if (studyLock.StaleHolder is not null)
        {
            Terminal.Line($"took over a stale lock of {folder} left by {studyLock.StaleHolder}");
        }

        using var store = SqliteResultStore.OpenFolder(folder);
        _ = store.CompletedIds();
        StudyFolder.WarnDamaged(store);
        if (StudyMatrixFile.SaveOrCheck(folder, matrix, store) == StudyMatrixCheck.Extended)
        {
            Terminal.Line($"{Path.Combine(folder, StudyMatrixFile.FileName)}: the study grew to '{matrix.Name}' as given; its stored results are kept");
        }
        var study = new StudyRunner(Decorate.Value?.Invoke(runner) ?? runner, store, loggers.CreateLogger<StudyRunner>());

        string scope = shards == 1 ? string.Empty : $" (shard {shard}/{shards})";
        Terminal.Line($"{matrix.Name} from {source}{scope}: {specs.Count} experiments into {Path.Combine(folder, SqliteResultStore.FileName)}, {parallel} at a time");
        DateTime started = DateTime.UtcNow;
        StudyRunSummary summary = Terminal.Interactive
            ? RunWithProgressBar(study, specs, parallel, cancellationToken)
            : study.Run(specs, parallel, new SynchronousProgress<StudyProgress>(PrintLine), cancellationToken);

        IReadOnlySet<string> done = store.CompletedIds();
        var planned = specs.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        ExperimentFailure[] failures = [.. store.ReadFailures().Where(f => planned.Contains(f.ExperimentId))];
        Terminal.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"ran {summary.Ran} experiments ({summary.Failed} failed) in {DateTime.UtcNow - started:hh\\:mm\\:ss} (memory {WorkingSetMegabytes()} MB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MB at most); {specs.Count(s => done.Contains(s.Id))}/{specs.Count} done, {failures.Length} failed."));
        if (failures.Length == 0)
        {
            Terminal.Line($"Next: ReproducePaper report --out {folder}");
            return ExitCodes.Success;
        }

        foreach (ExperimentFailure failure in failures.Take(10))
        {
            Terminal.Line($"failed: {Describe(failure.Spec)}: {failure.ErrorType}: {failure.Message}");
        }

        Terminal.Line($"{failures.Length} experiment(s) failed and are stored as failures (ReproducePaper status/export --failures --out {folder}); run the same command again to retry them");
        return ExitCodes.FinishedWithFailures;
    }

    private static StudyRunSummary RunWithProgressBar(StudyRunner study, IReadOnlyList<ExperimentSpec> specs, int parallel, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("starting", maxValue: specs.Count);
                return study.Run(
                    specs,
                    parallel,
                    new SynchronousProgress<StudyProgress>(p =>
                    {
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"[{p.Done}/{p.Total}] {Describe(p.Current)}");
                    }),
                    cancellationToken);
            });

    private static void PrintLine(StudyProgress p)
    {
        if (p.Finished && p.Failure is { } f)
        {
            Console.WriteLine($"[{p.Done}/{p.Total}] {Describe(p.Current)}: FAILED {f.ErrorType}: {f.Message}");
            return;
        }

        if (!p.Finished || p.Result is not { } r)
        {
            return;
        }

        string asr = r.AttackSuccessRate is double a ? a.ToString("F3", CultureInfo.InvariantCulture) : "-";
        string eta = p.Remaining is { } left ? left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{p.Done}/{p.Total}] {Describe(p.Current)}: clean accuracy {r.CleanAccuracy:F3}, ASR {asr}, {r.DurationSeconds:F1} s, memory {WorkingSetMegabytes()} MB, ETA {eta}"));
    }

    private static long WorkingSetMegabytes() => Environment.WorkingSet >> 20;

    private static string Describe(ExperimentSpec s) => s.Trigger is { } t
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"{s.Id} {s.Dataset}/{s.Model} {Attack(s)}{t.Size:0.###} {t.Position} {t.Color} eps {s.PoisoningRate:0.####} rep {s.Repetition}")
        : $"{s.Id} {s.Dataset}/{s.Model} clean rep {s.Repetition}";

    /// <summary>The trigger family, poisoner and label mode where they are not the paper's, e.g. <c>blend clean-label </c>.</summary>
    private static string Attack(ExperimentSpec s) => string.Concat(
        s.Trigger?.Family is { } family ? family + " " : string.Empty,
        s.Poisoner is { } poisoner ? poisoner + " " : string.Empty,
        s.LabelMode == BackdoorKit.Poisoning.LabelMode.AllToAll ? BackdoorKit.Poisoning.LabelModes.ToName(s.LabelMode) + " " : string.Empty);

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so lines stay in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock gate = new();

        public void Report(T value)
        {
            lock (gate)
            {
                report(value);
            }
        }
    }
}
