using System.Text;
using System.Text.Json;
using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>
/// Writes results as CSV (the flat <see cref="ResultColumns"/> schema) or as a JSON array of full result records, and
/// failed experiments the same way (<see cref="FailureColumns"/>).
/// </summary>
public static class ResultExporter
{
    /// <summary>Writes results as CSV with a header row.</summary>
    /// <param name="results">The results.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteCsv(IEnumerable<ExperimentResult> results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ExperimentResult[] rows = [.. results];

        // The runner's further metrics follow the fixed columns, one metric.<name> column each, sorted by name;
        // empty where a result lacks that metric.
        (string Name, Func<ExperimentResult, object?> Value)[] metrics = [.. rows
            .SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => ($"metric.{name}", (Func<ExperimentResult, object?>)(r => r.Metrics.TryGetValue(name, out double value) ? value : null)))];
        WriteCsv(rows, [.. ResultColumns.All, .. metrics], writer);
    }

    /// <summary>Writes failed experiments as CSV with a header row.</summary>
    /// <param name="failures">The failures.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteCsv(IEnumerable<ExperimentFailure> failures, TextWriter writer) => WriteCsv(failures, FailureColumns.All, writer);

    /// <summary>Writes results as an indented JSON array.</summary>
    /// <param name="results">The results.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteJson(IEnumerable<ExperimentResult> results, TextWriter writer) => WriteJsonArray(results, writer);

    /// <summary>Writes failed experiments as an indented JSON array.</summary>
    /// <param name="failures">The failures.</param>
    /// <param name="writer">The destination.</param>
    public static void WriteJson(IEnumerable<ExperimentFailure> failures, TextWriter writer) => WriteJsonArray(failures, writer);

    /// <summary>Writes results to a file, atomically (temporary file, then rename).</summary>
    /// <param name="results">The results.</param>
    /// <param name="path">The file.</param>
    /// <param name="format"><c>csv</c> or <c>json</c>.</param>
    public static void WriteFile(IEnumerable<ExperimentResult> results, string path, string format) =>
        WriteAtomically(path, Pick<ExperimentResult>(format, WriteCsv, WriteJson), results);

    /// <summary>Writes failed experiments to a file, atomically (temporary file, then rename).</summary>
    /// <param name="failures">The failures.</param>
    /// <param name="path">The file.</param>
    /// <param name="format"><c>csv</c> or <c>json</c>.</param>
    public static void WriteFile(IEnumerable<ExperimentFailure> failures, string path, string format) =>
        WriteAtomically(path, Pick<ExperimentFailure>(format, WriteCsv, WriteJson), failures);

    private static void WriteCsv<T>(IEnumerable<T> rows, IReadOnlyList<(string Name, Func<T, object?> Value)> columns, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(",", columns.Select(c => c.Name)));
        foreach (T row in rows)
        {
            writer.WriteLine(string.Join(",", columns.Select(c => ResultColumns.FormatCsv(c.Value(row)))));
        }
    }

    private static void WriteJsonArray<T>(IEnumerable<T> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(JsonSerializer.Serialize(rows.ToArray(), BackdoorKitJson.Options));
        writer.WriteLine();
    }

    private static Action<IEnumerable<T>, TextWriter> Pick<T>(
        string format, Action<IEnumerable<T>, TextWriter> csv, Action<IEnumerable<T>, TextWriter> json) => format switch
    {
        "csv" => csv,
        "json" => json,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"format must be csv or json; got '{format}'."),
    };

    private static void WriteAtomically<T>(string path, Action<IEnumerable<T>, TextWriter> write, IEnumerable<T> rows)
    {
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            write(rows, writer);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
