using BackdoorKit.Experiments;
using BackdoorKit.Reporting;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>report</c> (<see cref="ReportSettings"/>): turns a study folder's results into <c>DIR/report/</c> (tables,
/// figures, importance, findings, report page). Without <c>--asr</c> a <c>seed-code</c> study is reported with the
/// published code's ASR (target-class images included), any other study without them.
/// </summary>
internal sealed class ReportCommand : Command<ReportSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        string folder = settings.Out;
        ExperimentMatrix matrix = StudyFolder.ReadMatrix(folder);
        using var store = StudyFolder.OpenExistingStore(folder);
        IReadOnlyList<ExperimentResult> results = store.ReadAll();
        StudyFolder.WarnDamaged(store);
        if (results.Count == 0)
        {
            throw new UsageException($"'{folder}' holds no results yet; run 'ReproducePaper run --out {folder}' first");
        }

        var options = new ReportOptions { Asr = settings.Definition };
        string[] failures = [.. store.ReadFailures().Select(f => $"{f.ExperimentId} ({f.Spec.Dataset}/{f.Spec.Model}): {f.ErrorType}: {f.Message}")];
        ReportFiles files = new ReportWriter(options).Write(results, matrix.Expand().All, folder, failures);
        Terminal.Line($"wrote {files.Markdown} and {files.Html}: {files.Figures.Count} figures (PNG + SVG), {files.Tables.Count} table files, {files.Importance}; ASR {Asr.Name(files.Asr)}");
        if (failures.Length > 0)
        {
            Terminal.Line($"{failures.Length} experiments failed; the report lists them (rerun 'ReproducePaper run' to retry them)");
        }

        if (files.Missing.Count > 0)
        {
            Terminal.Line($"{files.Missing.Count} planned experiments have no result yet; the report lists them");
        }

        return 0;
    }
}
