using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace ReproducePaper.Cli;

/// <summary>Spectre.Console.Cli's help, with the program's title above the usage and its exit codes under the list of commands.</summary>
/// <param name="settings">The application's settings.</param>
internal sealed class StudyHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    private static readonly string ExitCodesText = string.Create(CultureInfo.InvariantCulture, $"""

        EXIT CODES:
            {ExitCodes.Success,-7}success
            {ExitCodes.Failure,-7}failure of the machine, the native runtime or the result store
            {ExitCodes.BadInput,-7}bad input: an option, a matrix, unreadable data or weights
            {ExitCodes.FinishedWithFailures,-7}the study finished, but some experiments failed (a rerun retries them)
            {ExitCodes.Cancelled,-7}cancelled (Ctrl+C or SIGTERM); every finished result is kept

        'ReproducePaper COMMAND --help' lists a command's options; docs/reproducing-the-paper.md describes the whole study.
        """);

    /// <inheritdoc/>
    public override IEnumerable<IRenderable> GetHeader(ICommandModel model, ICommandInfo? command) =>
        command is null
            ? [new Text($"ReproducePaper: the systematic backdoor-trigger study of the paper, resumable and reproducible.{Environment.NewLine}{Environment.NewLine}")]
            : base.GetHeader(model, command);

    /// <inheritdoc/>
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command) =>
        command is null ? [new Text(ExitCodesText + Environment.NewLine)] : base.GetFooter(model, command);
}
