using System.ComponentModel;
using BackdoorKit.Data;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options that name a dataset and its folder, shared by <c>data</c> and <c>preview</c>.</summary>
internal abstract class DatasetSettings : CommandSettings
{
    /// <summary>Gets the dataset's name.</summary>
    [CommandOption("--dataset <NAME>", isRequired: true)]
    [Description("The dataset: mnist, mnist-sample, cifar10, tinyimagenet or folder (train/CLASS/*, test/CLASS/*).")]
    public string Dataset { get; init; } = string.Empty;

    /// <summary>Gets the dataset's folder.</summary>
    [CommandOption("--path <DIR>", isRequired: true)]
    [Description("The dataset's folder.")]
    public string Path { get; init; } = string.Empty;

    /// <summary>Gets the dataset named by <c>--dataset</c>.</summary>
    /// <exception cref="UsageException">No dataset has that name.</exception>
    public DatasetDescriptor Descriptor => OptionValue.Parse("--dataset", Dataset, ComponentCatalog.Default.Datasets.Get);

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() => _ = Descriptor);
}
