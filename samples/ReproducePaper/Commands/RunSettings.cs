using System.ComponentModel;
using System.Globalization;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>run</c>: the matrix, the study folder, the shard and how the experiments run.</summary>
internal sealed class RunSettings : MatrixSettings
{
    /// <summary>Gets the study folder.</summary>
    [CommandOption("--out <DIR>", isRequired: true)]
    [Description("The study folder; created when missing, and a rerun skips the experiments stored there.")]
    public string Out { get; init; } = string.Empty;

    /// <summary>Gets the shard as <c>i/N</c>, or null for the whole matrix.</summary>
    [CommandOption("--shard <I/N>")]
    [Description("Run only shard i of N, 0 <= i < N (Slurm's array index), e.g. 3/10.")]
    public string? Shard { get; init; }

    /// <summary>Gets how many experiments run at a time.</summary>
    [CommandOption("--parallel <N>")]
    [Description("Experiments at a time, 1 to 64; they share the cores.")]
    [DefaultValue(1)]
    public int Parallel { get; init; } = 1;

    /// <summary>Gets the threads each experiment trains with, or null for the default.</summary>
    [CommandOption("--threads <N>")]
    [Description("Threads per experiment, 1 to 1024 (default: LibTorch's own count, or the cores shared out with --parallel).")]
    public int? Threads { get; init; }

    /// <summary>Gets the device, or null for automatic.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("auto, cpu, cuda or cuda:N (default auto: CUDA when available).")]
    public string? Device { get; init; }

    /// <summary>Gets the data root.</summary>
    [CommandOption("--data <DIR>")]
    [Description("The data root: one folder per dataset (docs/datasets.md).")]
    [DefaultValue("data")]
    public string Data { get; init; } = "data";

    /// <summary>Gets the pretrained weights folder, or null for none.</summary>
    [CommandOption("--weights <DIR>")]
    [Description("The pretrained weights folder (docs/weights.md).")]
    public string? Weights { get; init; }

    /// <summary>Gets a value indicating whether every trained model is kept in the study folder's <c>models</c> folder.</summary>
    [CommandOption("--save-models")]
    [Description("Keep every trained model as DIR/models/<id>.safetensors: only what training changed (the frozen part is rebuilt from the weights); explain then restores models instead of retraining them.")]
    public bool SaveModels { get; init; }

    /// <summary>Gets the memory budget of the frozen-feature cache in GiB.</summary>
    [CommandOption("--cache-gib <N>")]
    [Description("Memory for cached frozen-prefix features, 1 to 1024 GiB (docs/performance.md): raise it when one table is larger, e.g. AlexNet's 2.2 GB for 60,000 MNIST images.")]
    [DefaultValue(2)]
    public int CacheGib { get; init; } = 2;

    /// <summary>Gets the names of the defenses run on every trained model.</summary>
    [CommandOption("--defense <NAME>")]
    [Description("A defense to run on every trained model besides the matrix's own (its defenses list), its numbers stored as metrics (strip, spectral, activation-clustering, fine-pruning, neural-cleanse, spectral-retrain, activation-clustering-retrain; docs/defenses.md); repeatable.")]
    public string[] Defense { get; init; } = [];

    /// <summary>Gets the defenses named by <c>--defense</c>.</summary>
    /// <exception cref="UsageException">A name is not a defense.</exception>
    public IReadOnlyList<BackdoorKit.Defenses.IDefense> Defenses =>
        [.. Defense.Distinct(StringComparer.OrdinalIgnoreCase).Select(name => OptionValue.Parse("--defense", name, BackdoorKit.Experiments.ComponentCatalog.Default.Defenses.Get))];

    /// <summary>Gets the shard given by <c>--shard</c>: index and count, or (0, 1) for the whole matrix.</summary>
    /// <exception cref="UsageException">The text is not <c>i/N</c> with 0 &lt;= i &lt; N.</exception>
    public (int Index, int Count) ShardRange
    {
        get
        {
            if (Shard is null)
            {
                return (0, 1);
            }

            string[] parts = Shard.Split('/');
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int i) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int n)
                   && n >= 1 && i >= 0 && i < n
                ? (i, n)
                : throw new UsageException($"option --shard '{Shard}' is not valid; use i/N with 0 <= i < N (Slurm's array index), e.g. 3/10");
        }
    }

    /// <summary>Gets the device for <c>ComputeOptions.Device</c>: null for automatic.</summary>
    /// <exception cref="UsageException">The name is not a device.</exception>
    public string? ComputeDevice => OptionValue.Device("--device", Device) switch
    {
        "auto" => null,
        var device => device,
    };

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        CheckMatrix();
        _ = (ShardRange, ComputeDevice, Defenses);
        OptionValue.InRange("--parallel", Parallel, 1, 64);
        OptionValue.InRange("--threads", Threads, 1, 1024);
        OptionValue.InRange("--cache-gib", CacheGib, 1, 1024);
    });
}
