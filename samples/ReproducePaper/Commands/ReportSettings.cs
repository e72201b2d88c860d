using System.ComponentModel;
using BackdoorKit.Reporting;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>report</c>: which ASR definition the report uses.</summary>
internal sealed class ReportSettings : StudyFolderSettings
{
    /// <summary>Gets the ASR definition's name, or null for the study's default.</summary>
    [CommandOption("--asr <DEFINITION>")]
    [Description("excluding-target or including-target (default: including-target for a seed-code study, as the published code counts, else excluding-target; docs/reports.md).")]
    public string? Asr { get; init; }

    /// <summary>Gets the definition named by <c>--asr</c>, or null for the study's default.</summary>
    /// <exception cref="UsageException">The name is not a definition.</exception>
    public AsrDefinition? Definition => Asr is null ? null : OptionValue.Parse("--asr", Asr, BackdoorKit.Reporting.Asr.Parse);

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() => _ = Definition);
}
