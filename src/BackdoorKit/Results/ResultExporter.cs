using System.Text;
using System.Text.Json;
using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>Writes results as CSV (the flat <see cref="ResultColumns"/> schema) or as a JSON array of full result records.</summary>
public static class ResultExporter
{
    /// <summary>Writes results as CSV with a header row.</summary>
    /// <param name="results">The results.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteCsv(IEnumerable<ExperimentResult> results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(",", ResultColumns.All.Select(c => c.Name)));
        foreach (ExperimentResult result in results)
        {
            writer.WriteLine(string.Join(",", ResultColumns.All.Select(c => ResultColumns.FormatCsv(c.Value(result)))));
        }
    }

    /// <summary>Writes results as an indented JSON array.</summary>
    /// <param name="results">The results.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteJson(IEnumerable<ExperimentResult> results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(JsonSerializer.Serialize(results.ToArray(), BackdoorKitJson.Options));
        writer.WriteLine();
    }

    /// <summary>Writes results to a file, atomically (temporary file, then rename).</summary>
    /// <param name="results">The results.</param>
    /// <param name="path">The file.</param>
    /// <param name="format"><c>csv</c> or <c>json</c>.</param>
    public static void WriteFile(IEnumerable<ExperimentResult> results, string path, string format)
    {
        Action<IEnumerable<ExperimentResult>, TextWriter> write = format switch
        {
            "csv" => WriteCsv,
            "json" => WriteJson,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"format must be csv or json; got '{format}'."),
        };
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            write(results, writer);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
