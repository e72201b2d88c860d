namespace BackdoorKit.Experiments;

/// <summary>An expanded <see cref="ExperimentMatrix"/>: its experiments in a fixed order, grouped by purpose.</summary>
/// <param name="Backdoored">The main matrix: every dataset x model x size x position x color x rate x repetition.</param>
/// <param name="Clean">The clean (eps = 0) baselines each cell's CAD needs: dataset x model x repetition.</param>
/// <param name="FreezeStudy">The AlexNet freeze-index study.</param>
public sealed record ExperimentPlan(
    IReadOnlyList<ExperimentSpec> Backdoored,
    IReadOnlyList<ExperimentSpec> Clean,
    IReadOnlyList<ExperimentSpec> FreezeStudy)
{
    /// <summary>Gets every experiment: backdoored, then clean, then the freeze study.</summary>
    public IReadOnlyList<ExperimentSpec> All { get; } = [.. Backdoored, .. Clean, .. FreezeStudy];

    /// <summary>Gets the experiments of shard <paramref name="index"/> of <paramref name="count"/> (every count-th, starting at index).</summary>
    /// <param name="index">The shard, zero-based, in [0, count).</param>
    /// <param name="count">The number of shards, at least 1.</param>
    /// <returns>The shard's experiments; the shards partition <see cref="All"/>.</returns>
    public IReadOnlyList<ExperimentSpec> Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"shard index must be in [0, {count - 1}] for {count} shards.");
        }

        return All.Where((_, i) => i % count == index).ToArray();
    }
}
