using System.Globalization;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// How much of a matrix a study folder holds, and which shards still miss experiments: shard i of N owns the experiments
/// <see cref="ExperimentPlan.Shard"/> returns (Slurm's array index i), and is incomplete while any of them has no result.
/// </summary>
internal static class ShardCoverage
{
    /// <summary>Gets the shards that own at least one experiment without a result, in order.</summary>
    /// <param name="plan">The expanded matrix.</param>
    /// <param name="shards">The number of shards the matrix was run in.</param>
    /// <param name="done">The ids of the experiments that have a result.</param>
    /// <returns>The incomplete shards' indices.</returns>
    public static IReadOnlyList<int> Incomplete(ExperimentPlan plan, int shards, IReadOnlySet<string> done)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(done);
        return [.. Enumerable.Range(0, shards).Where(i => plan.Shard(i, shards).Any(s => !done.Contains(s.Id)))];
    }

    /// <summary>Writes indices the way <c>sbatch --array</c> reads them, consecutive runs as ranges: <c>0-2,5,7</c>.</summary>
    /// <param name="indices">The indices, ascending.</param>
    /// <returns>The text.</returns>
    public static string ArrayRanges(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var parts = new List<string>();
        for (int start = 0; start < indices.Count;)
        {
            int end = start;
            while (end + 1 < indices.Count && indices[end + 1] == indices[end] + 1)
            {
                end++;
            }

            parts.Add(end == start
                ? indices[start].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{indices[start]}-{indices[end]}"));
            start = end + 1;
        }

        return string.Join(',', parts);
    }

    /// <summary>
    /// Describes what is missing: one line with the counts and, when some experiments are missing, one line naming the
    /// array tasks to resubmit (<c>sbatch --array=3,7 FILE</c>) or asking for the shard count.
    /// </summary>
    /// <param name="name">The matrix's name.</param>
    /// <param name="plan">The expanded matrix.</param>
    /// <param name="done">The ids of the experiments that have a result.</param>
    /// <param name="failed">The ids of the experiments whose last attempt failed.</param>
    /// <param name="shards">The number of shards the matrix was run in, or null when not known.</param>
    /// <param name="script">The job-array script to name in the resubmit command, or null.</param>
    /// <returns>The lines.</returns>
    public static IEnumerable<string> Report(string name, ExperimentPlan plan, IReadOnlySet<string> done, IReadOnlySet<string> failed, int? shards, string? script)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(failed);
        int total = plan.All.Count;
        int finished = plan.All.Count(s => done.Contains(s.Id));
        int failures = plan.All.Count(s => !done.Contains(s.Id) && failed.Contains(s.Id));
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {finished}/{total} experiments done, {total - finished} missing ({failures} of them failed)");
        if (finished == total)
        {
            yield break;
        }

        if (shards is not { } count)
        {
            yield return "give --shards N (the job's array size) to list the array tasks to resubmit";
            yield break;
        }

        IReadOnlyList<int> incomplete = Incomplete(plan, count, done);
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{incomplete.Count} of {count} shards incomplete; once the job has ended, resubmit them: sbatch --array={ArrayRanges(incomplete)} {(script is null ? "SCRIPT.sh" : Shell.Word(script))}");
    }
}
