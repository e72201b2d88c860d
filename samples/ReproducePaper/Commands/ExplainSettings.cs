using System.ComponentModel;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>explain</c>: which experiment and test image, where its data and weights are, how many channels.</summary>
internal sealed class ExplainSettings : StudyFolderSettings
{
    /// <summary>Gets the backdoored experiment's id, or null for the most successful one.</summary>
    [CommandOption("--experiment <ID>")]
    [Description("The backdoored experiment's id (default: the study's most successful backdoor).")]
    public string? Experiment { get; init; }

    /// <summary>Gets the test image, or null for the first one not of the target class.</summary>
    [CommandOption("--index <I>")]
    [Description("The test image, 0 to the test set's size - 1 (default: the first one not of the target class).")]
    public int? Index { get; init; }

    /// <summary>Gets the data root.</summary>
    [CommandOption("--data <DIR>")]
    [Description("The data root: the test images, and the training data when a model is retrained (docs/datasets.md).")]
    [DefaultValue("data")]
    public string Data { get; init; } = "data";

    /// <summary>Gets the pretrained weights folder, or null for none.</summary>
    [CommandOption("--weights <DIR>")]
    [Description("The pretrained weights folder (docs/weights.md).")]
    public string? Weights { get; init; }

    /// <summary>Gets the channels the feature-map figure shows, or null for the figure's default.</summary>
    [CommandOption("--channels <N>")]
    [Description("Channels the feature-map figure shows, 1 to 256 (default 16).")]
    public int? Channels { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        OptionValue.AtLeast("--index", Index, 0);
        OptionValue.InRange("--channels", Channels, 1, 256);
    });
}
