using BackdoorKit.Results;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary><c>export --out DIR --format csv|json --file FILE</c>: the study's results in a flat file.</summary>
internal static class ExportCommand
{
    public static int Run(CommandLine line)
    {
        string folder = line.Required("out");
        string format = line.Choice("format", null, "csv", "json");
        string file = line.Required("file");
        line.RejectUnknown();
        using var store = StudyFolder.OpenExistingStore(folder);
        var results = store.ReadAll();
        ResultExporter.WriteFile(results, file, format);
        Terminal.Line($"wrote {results.Count} result(s) to {file}");
        return 0;
    }
}
