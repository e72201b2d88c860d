using System.ComponentModel;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>export</c>: the format, the file, and whether to export the failures instead of the results.</summary>
internal sealed class ExportSettings : StudyFolderSettings
{
    private static readonly string[] Formats = ["csv", "json", "sqlite"];

    /// <summary>Gets the format's name.</summary>
    [CommandOption("--format <FORMAT>", isRequired: true)]
    [Description("csv or json: the results (or failures) as a flat file; sqlite: a consistent single-file copy of the store.")]
    public string Format { get; init; } = string.Empty;

    /// <summary>Gets the file to write.</summary>
    [CommandOption("--file <FILE>", isRequired: true)]
    [Description("The file to write (atomically); not one of the study's own files.")]
    public string File { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether to export the failed experiments instead of the results.</summary>
    [CommandOption("--failures")]
    [Description("Export the failed experiments instead of the results (csv or json).")]
    public bool Failures { get; init; }

    /// <summary>Gets the format given by <c>--format</c>, lower-case: <c>csv</c>, <c>json</c> or <c>sqlite</c>.</summary>
    /// <exception cref="UsageException">The format is none of those.</exception>
    public string FormatName => OptionValue.Choice("--format", Format, Formats);

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        if (FormatName == "sqlite" && Failures)
        {
            throw new UsageException("option --failures exports csv or json; --format sqlite copies the whole store, failures included");
        }
    });
}
