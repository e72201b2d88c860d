using BackdoorKit.Results;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>export --out DIR --format csv|json --file FILE [--failures]</c>: the study's results (or, with <c>--failures</c>,
/// its failed experiments) in a flat file.
/// </summary>
internal static class ExportCommand
{
    public static int Run(CommandLine line)
    {
        string folder = line.Required("out");
        string format = line.Choice("format", null, "csv", "json");
        string file = line.Required("file");
        bool failures = line.Flag("failures");
        line.RejectUnknown();
        using var store = StudyFolder.OpenExistingStore(folder);
        if (failures)
        {
            var failed = store.ReadFailures();
            ResultExporter.WriteFile(failed, file, format);
            Terminal.Line($"wrote {failed.Count} failed experiment(s) to {file}");
            return 0;
        }

        var results = store.ReadAll();
        ResultExporter.WriteFile(results, file, format);
        Terminal.Line($"wrote {results.Count} result(s) to {file}");
        int failedCount = store.ReadFailures().Count;
        if (failedCount > 0)
        {
            Terminal.Line($"{failedCount} experiment(s) failed and have no result; export them with --failures");
        }

        return 0;
    }
}
