namespace ReproducePaper.Commands;

/// <summary>What a Slurm job-array script runs: the matrix, its shards, and where (see <see cref="SlurmScript"/>).</summary>
/// <param name="Name">The matrix's name (names the result folders and the job).</param>
/// <param name="MatrixArguments">The arguments that name the matrix: <c>--preset NAME</c> or <c>--matrix FILE</c> (absolute).</param>
/// <param name="Shards">The number of shards (array tasks), at least 1.</param>
/// <param name="PerShardEstimate">The plan's time estimate for the largest shard, or null when it has none.</param>
/// <param name="ScriptPath">The script's path as the user named it (for the submit and merge hints in its comments).</param>
/// <param name="WorkingDirectory">The absolute folder each task changes to; results go to <c>results/NAME</c> there.</param>
/// <param name="Program">The absolute path of the <c>ReproducePaper.dll</c> each task runs with <c>dotnet</c>.</param>
internal sealed record SlurmJob(
    string Name,
    IReadOnlyList<string> MatrixArguments,
    int Shards,
    TimeSpan? PerShardEstimate,
    string ScriptPath,
    string WorkingDirectory,
    string Program)
{
    /// <summary>Describes a job that runs this build of the program from the current folder.</summary>
    /// <param name="name">The matrix's name.</param>
    /// <param name="matrixArguments">The arguments that name the matrix.</param>
    /// <param name="shards">The number of shards.</param>
    /// <param name="perShardEstimate">The time estimate for the largest shard, or null.</param>
    /// <param name="scriptPath">The script's path.</param>
    /// <returns>The job.</returns>
    public static SlurmJob FromHere(string name, IReadOnlyList<string> matrixArguments, int shards, TimeSpan? perShardEstimate, string scriptPath) =>
        new(name, matrixArguments, shards, perShardEstimate, scriptPath, Environment.CurrentDirectory, typeof(SlurmJob).Assembly.Location);

    /// <summary>Gets the folder of the merged results, relative to <see cref="WorkingDirectory"/>.</summary>
    public string ResultsFolder => $"results/{Name}";
}
