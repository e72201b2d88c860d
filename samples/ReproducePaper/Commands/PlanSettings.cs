using System.ComponentModel;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// The options of <c>plan</c>: the matrix, the calibration, the shards and, with <c>--slurm</c>, the options that shape
/// the job-array script (<see cref="SlurmOptions"/>).
/// </summary>
internal sealed class PlanSettings : MatrixSettings
{
    /// <summary>Gets a value indicating whether to write the plan as one JSON object.</summary>
    [CommandOption("--json")]
    [Description("Write the plan as one JSON object instead of lines and tables.")]
    public bool Json { get; init; }

    /// <summary>Gets a value indicating whether to skip measuring steps (no time estimate).</summary>
    [CommandOption("--no-calibration")]
    [Description("Measure nothing: counts and FLOP only, no time estimate.")]
    public bool NoCalibration { get; init; }

    /// <summary>Gets the seconds of measurements per cell, or null for the calibrator's default.</summary>
    [CommandOption("--budget <SECONDS>")]
    [Description("Seconds of measured steps per cell, 0.1 to 600 (default 4).")]
    public double? Budget { get; init; }

    /// <summary>Gets the threads the calibration trains with, or null for LibTorch's own count.</summary>
    [CommandOption("--threads <N>")]
    [Description("Threads the calibration measures with, 1 to 1024 (default: LibTorch's own count).")]
    public int? Threads { get; init; }

    /// <summary>Gets the number of shards the study is split into.</summary>
    [CommandOption("--shards <N>")]
    [Description("Split the study into N shards, 1 to 100000 (one Slurm array task each with --slurm).")]
    [DefaultValue(1)]
    public int Shards { get; init; } = 1;

    /// <summary>Gets the Slurm job-array script to write, or null for none.</summary>
    [CommandOption("--slurm <FILE>")]
    [Description("Write a Slurm job-array script for the shards (needs --shards 2 or more; docs/cluster.md). The options below shape it.")]
    public string? Slurm { get; init; }

    /// <summary>Gets the GPUs per task (<c>N</c> or <c>TYPE:N</c>), or null for one.</summary>
    [CommandOption("--gpus <GPUS>")]
    [Description("GPUs per task: N or TYPE:N, N from 0 to 64 (0: a CPU job), e.g. a100:2 (default 1).")]
    public string? Gpus { get; init; }

    /// <summary>Gets the CPUs per task, or null for <see cref="SlurmOptions.DefaultCpusPerTask"/>.</summary>
    [CommandOption("--cpus-per-task <N>")]
    [Description("CPUs per task, 1 to 4096; each task trains with that many threads (default 8).")]
    public int? CpusPerTask { get; init; }

    /// <summary>Gets the memory per node in Slurm's form, or null for the partition's default.</summary>
    [CommandOption("--mem <SIZE>")]
    [Description("Memory per node: a positive integer with an optional unit K, M, G or T, e.g. 32G (default: the partition's).")]
    public string? Mem { get; init; }

    /// <summary>Gets the time limit per task in Slurm's form, or null for twice the estimate plus 10 minutes.</summary>
    [CommandOption("--time <LIMIT>")]
    [Description("Time limit per task: MINUTES, HOURS:MINUTES:SECONDS or DAYS-HOURS:MINUTES:SECONDS, e.g. 90 or 1-12:00:00 (default: twice the estimate per shard plus 10 minutes).")]
    public string? Time { get; init; }

    /// <summary>Gets the partition(s), or null for the cluster's default.</summary>
    [CommandOption("--partition <NAME>")]
    [Description("The partition, or several separated by commas.")]
    public string? Partition { get; init; }

    /// <summary>Gets the account to charge, or null for the user's default.</summary>
    [CommandOption("--account <NAME>")]
    [Description("The account to charge.")]
    public string? Account { get; init; }

    /// <summary>Gets further sbatch options, each <c>NAME</c> or <c>NAME=VALUE</c>.</summary>
    [CommandOption("--sbatch-arg <NAME=VALUE>")]
    [Description("Any other sbatch option without its dashes, e.g. qos=long or exclusive; repeatable, and several may follow one --sbatch-arg.")]
    public string[] SbatchArgs { get; init; } = [];

    /// <summary>Gets the data root each task passes to <c>run --data</c>, or null for <c>run</c>'s default.</summary>
    [CommandOption("--data <DIR>")]
    [Description("The data root each task passes to run --data (made absolute; default: run's, data).")]
    public string? Data { get; init; }

    /// <summary>Gets the weights folder each task passes to <c>run --weights</c>, or null for none.</summary>
    [CommandOption("--weights <DIR>")]
    [Description("The pretrained weights folder each task passes to run --weights (made absolute).")]
    public string? Weights { get; init; }

    /// <summary>Gets the device each task passes to <c>run --device</c>, or null for the default.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("The device each task passes to run --device: auto, cpu, cuda or cuda:N (default: cuda with GPUs, cpu without).")]
    public string? Device { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        CheckMatrix();
        OptionValue.InRange("--budget", Budget, 0.1, 600);
        OptionValue.InRange("--threads", Threads, 1, 1024);
        OptionValue.InRange("--shards", Shards, 1, 100_000);
        OptionValue.Needs("--slurm", Slurm is not null, "--shards N with N >= 2", Shards >= 2);
        (string Option, bool Given)[] scriptOptions =
        [
            ("--gpus", Gpus is not null), ("--cpus-per-task", CpusPerTask is not null), ("--mem", Mem is not null),
            ("--time", Time is not null), ("--partition", Partition is not null), ("--account", Account is not null),
            ("--sbatch-arg", SbatchArgs.Length > 0), ("--data", Data is not null), ("--weights", Weights is not null),
            ("--device", Device is not null),
        ];
        foreach ((string option, bool given) in scriptOptions)
        {
            OptionValue.Needs(option, given, "--slurm FILE.sh: it shapes the job-array script", Slurm is not null);
        }

        if (Slurm is not null)
        {
            _ = SlurmOptions.From(this);
        }
    });
}
