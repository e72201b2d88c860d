using BackdoorKit.Experiments;
using BackdoorKit.Reporting;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary><c>report</c>: turns a study folder's results into <c>DIR/report/</c> (tables, figures, importance, report page).</summary>
internal static class ReportCommand
{
    /// <summary>Runs the command.</summary>
    /// <param name="line">The parsed command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(CommandLine line)
    {
        string folder = line.Required("out");
        line.RejectUnknown();
        ExperimentMatrix matrix = StudyFolder.ReadMatrix(folder);
        using var store = StudyFolder.OpenExistingStore(folder);
        IReadOnlyList<ExperimentResult> results = store.ReadAll();
        StudyFolder.WarnDamaged(store);
        if (results.Count == 0)
        {
            throw new UsageException($"'{folder}' holds no results yet; run 'ReproducePaper run --out {folder}' first");
        }

        ReportFiles files = new ReportWriter().Write(results, matrix.Expand().All, folder);
        Terminal.Line($"wrote {files.Markdown} and {files.Html}: {files.Figures.Count} figures (PNG + SVG), {files.Tables.Count} table files, {files.Importance}");
        if (files.Missing.Count > 0)
        {
            Terminal.Line($"{files.Missing.Count} planned experiments have no result yet; the report lists them");
        }

        return 0;
    }
}
