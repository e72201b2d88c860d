using System.ComponentModel;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>merge</c>: the shard folders to merge into the study folder, and the job they came from.</summary>
internal sealed class MergeSettings : StudyFolderSettings
{
    /// <summary>Gets the shard folders.</summary>
    [CommandOption("--from <DIR>", isRequired: true)]
    [Description("The shard folders, of one matrix: several may follow one --from (a shell glob: --from results/paper/shard-*), or repeat it.")]
    public string[] From { get; init; } = [];

    /// <summary>Gets the number of shards the matrix was run in, or null when not known.</summary>
    [CommandOption("--shards <N>")]
    [Description("The job's array size, 1 to 100000: merge then names the array tasks to resubmit.")]
    public int? Shards { get; init; }

    /// <summary>Gets the job-array script to name in the resubmit command, or null.</summary>
    [CommandOption("--slurm <FILE>")]
    [Description("The job-array script to name in the resubmit command (needs --shards).")]
    public string? Slurm { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        OptionValue.InRange("--shards", Shards, 1, 100_000);
        OptionValue.Needs("--slurm", Slurm is not null, "--shards N (the job's array size)", Shards is not null);
    });
}
