using BackdoorKit.Experiments;
using BackdoorKit.Results;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>merge</c> (<see cref="MergeSettings"/>): combines shard folders into one, refusing conflicting duplicates, then
/// reports how much of the matrix is still missing (and failed) and, given the shard count, which array tasks to
/// resubmit (<see cref="ShardCoverage"/>).
/// </summary>
internal sealed class MergeCommand : Command<MergeSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, MergeSettings settings, CancellationToken cancellationToken)
    {
        string folder = settings.Out;
        IReadOnlyList<string> sources = settings.From;
        foreach (string source in sources)
        {
            _ = StudyFolder.ReadMatrix(source);
            if (StudyLock.LiveHolder(source) is { } writer)
            {
                throw new UsageException($"{source} is still being written by {writer}; merge after its run ends");
            }
        }

        string matrixJson = File.ReadAllText(Path.Combine(sources[0], StudyFolder.MatrixFile));
        foreach (string source in sources)
        {
            if (File.ReadAllText(Path.Combine(source, StudyFolder.MatrixFile)) != matrixJson)
            {
                throw new UsageException($"{source}: its {StudyFolder.MatrixFile} differs from {sources[0]}'s; only shards of one matrix merge");
            }
        }

        StudyFolder.CreateForWriting("out", folder);
        using var targetLock = StudyLock.Acquire(folder);
        string target = Path.Combine(folder, StudyFolder.MatrixFile);
        if (File.Exists(target) && File.ReadAllText(target) != matrixJson)
        {
            throw new UsageException($"{target} differs from the sources' matrix");
        }

        File.WriteAllText(target, matrixJson);
        var stores = sources.Select(StudyFolder.OpenExistingStore).ToList();
        try
        {
            using var store = SqliteResultStore.OpenFolder(folder);
            int added = ResultStoreMerger.Merge(store, stores);
            stores.ForEach(StudyFolder.WarnDamaged);
            IReadOnlySet<string> done = store.CompletedIds();
            Terminal.Line($"merged {added} new result(s) from {sources.Count} folder(s) into {store.Path} ({done.Count} in all)");
            ExperimentMatrix matrix = StudyFolder.ReadMatrix(folder);
            var failed = store.ReadFailures().Select(f => f.ExperimentId).ToHashSet(StringComparer.Ordinal);
            foreach (string report in ShardCoverage.Report(matrix.Name, matrix.Expand(), done, failed, settings.Shards, settings.Slurm))
            {
                Terminal.Line(report);
            }
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }

        return 0;
    }
}
