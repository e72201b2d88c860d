using System.ComponentModel;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>status</c>, and the <c>--out</c> of every command that works on an existing study folder.</summary>
internal class StudyFolderSettings : CommandSettings
{
    /// <summary>Gets the study folder.</summary>
    [CommandOption("--out <DIR>", isRequired: true)]
    [Description("The study folder: its matrix.json, results.sqlite and report.")]
    public string Out { get; init; } = string.Empty;
}
