using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary><c>status</c> (<see cref="StudyFolderSettings"/>): experiments done, failed and pending, overall and per factor value; the failures.</summary>
internal sealed class StatusCommand : Command<StudyFolderSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, StudyFolderSettings settings, CancellationToken cancellationToken)
    {
        string folder = settings.Out;
        ExperimentMatrix matrix = StudyFolder.ReadMatrix(folder);
        using var store = StudyFolder.OpenExistingStore(folder);
        IReadOnlySet<string> done = store.CompletedIds();
        StudyFolder.WarnDamaged(store);
        if (StudyLock.LiveHolder(folder) is { } writer)
        {
            Terminal.Line($"a run is writing to this folder: {writer}");
        }

        IReadOnlyList<ExperimentSpec> all = matrix.Expand().All;
        var planned = all.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        ExperimentFailure[] failures = [.. store.ReadFailures().Where(f => planned.Contains(f.ExperimentId))];
        var failed = failures.Select(f => f.ExperimentId).ToHashSet(StringComparer.Ordinal);
        int finished = all.Count(s => done.Contains(s.Id));
        int failedCount = all.Count(s => failed.Contains(s.Id));
        Terminal.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"{matrix.Name}: {finished}/{all.Count} experiments done ({100.0 * finished / Math.Max(1, all.Count):F1} %), {failedCount} failed, {all.Count - finished - failedCount} pending"));
        Terminal.Table(
            "done / failed / pending per factor",
            ["factor", "value", "done", "failed", "pending", "total"],
            Factors.Of(all).Select(f =>
            {
                ExperimentSpec[] group = f.Specs.ToArray();
                int d = group.Count(s => done.Contains(s.Id)), x = group.Count(s => failed.Contains(s.Id));
                return (IReadOnlyList<string>)[f.Factor, f.Value, Count(d), Count(x), Count(group.Length - d - x), Count(group.Length)];
            }));
        if (failures.Length > 0)
        {
            Terminal.Table(
                "failed experiments (the next run retries them)",
                ["experiment", "error", "message"],
                failures.Select(f => (IReadOnlyList<string>)[f.ExperimentId, f.ErrorType, f.Message]));
        }

        return 0;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
