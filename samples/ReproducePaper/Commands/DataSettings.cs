using System.ComponentModel;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>data</c>: the dataset, and whether to write JSON.</summary>
internal sealed class DataSettings : DatasetSettings
{
    /// <summary>Gets a value indicating whether to write the summary as one JSON object.</summary>
    [CommandOption("--json")]
    [Description("Write the summary as one JSON object instead of lines and a table.")]
    public bool Json { get; init; }
}
