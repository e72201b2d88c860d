using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>Combines result stores (e.g. one per cluster shard) into one, refusing conflicting duplicates.</summary>
public static class ResultStoreMerger
{
    /// <summary>
    /// Adds every result of <paramref name="sources"/> to <paramref name="target"/>, and every recorded failure of an
    /// experiment that has no result in any of them (so a failure in one shard never hides a result in another).
    /// </summary>
    /// <param name="target">The store to fill.</param>
    /// <param name="sources">The stores to read.</param>
    /// <returns>How many results were new.</returns>
    /// <exception cref="ResultConflictException">
    /// Two results with one id disagree; nothing is written then. The message lists the first conflicting ids.
    /// </exception>
    public static int Merge(IResultStore target, IEnumerable<IResultStore> sources)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        var byId = target.ReadAll().ToDictionary(r => r.ExperimentId, StringComparer.Ordinal);
        var incoming = new List<ExperimentResult>();
        var conflicts = new List<string>();
        foreach (ExperimentResult result in sources.SelectMany(s => s.ReadAll()))
        {
            if (!byId.TryGetValue(result.ExperimentId, out ExperimentResult? known))
            {
                byId[result.ExperimentId] = result;
                incoming.Add(result);
            }
            else if (!ResultComparison.Agree(known, result))
            {
                conflicts.Add($"{result.ExperimentId} ({ResultComparison.Describe(known)} vs {ResultComparison.Describe(result)})");
            }
        }

        if (conflicts.Count > 0)
        {
            throw new ResultConflictException(
                $"{conflicts.Count} experiment(s) have conflicting results, nothing merged: {string.Join("; ", conflicts.Take(5))}");
        }

        int added = incoming.Count(target.Add);
        foreach (ExperimentFailure failure in sources.SelectMany(s => s.ReadFailures()).Where(f => !byId.ContainsKey(f.ExperimentId)))
        {
            target.AddFailure(failure);
        }

        return added;
    }
}
