using System.Globalization;
using System.Net;
using System.Text;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// A titled table of text cells that renders as Markdown, CSV (RFC 4180), a LaTeX <c>tabular</c> or HTML. Emphasized cells
/// are bold in Markdown, LaTeX and HTML, and carry a trailing <c> *</c> in CSV.
/// </summary>
public sealed class TextTable
{
    /// <summary>Initializes a new instance of the <see cref="TextTable"/> class.</summary>
    /// <param name="title">The caption.</param>
    /// <param name="headers">The column names.</param>
    /// <param name="rows">The rows; each has one cell per column.</param>
    /// <param name="emphasized">The (row, column) indices of the cells to emphasize, or null for none.</param>
    /// <exception cref="ArgumentException">A row has the wrong number of cells, or an emphasized cell is outside the table.</exception>
    public TextTable(string title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlySet<(int Row, int Column)>? emphasized = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        int bad = rows.ToList().FindIndex(r => r.Count != headers.Count);
        if (bad >= 0)
        {
            throw new ArgumentException($"row {bad} has {rows[bad].Count} cells but the table has {headers.Count} columns.", nameof(rows));
        }

        emphasized ??= new HashSet<(int Row, int Column)>();
        if (emphasized.Any(c => c.Row < 0 || c.Row >= rows.Count || c.Column < 0 || c.Column >= headers.Count))
        {
            (int row, int column) = emphasized.First(c => c.Row < 0 || c.Row >= rows.Count || c.Column < 0 || c.Column >= headers.Count);
            throw new ArgumentException($"emphasized cell ({row}, {column}) is outside the {rows.Count} x {headers.Count} table.", nameof(emphasized));
        }

        Title = title;
        Headers = headers;
        Rows = rows;
        Emphasized = emphasized;
    }

    /// <summary>Gets the caption.</summary>
    public string Title { get; }

    /// <summary>Gets the column names.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Gets the rows.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>Gets the (row, column) indices of the emphasized cells.</summary>
    public IReadOnlySet<(int Row, int Column)> Emphasized { get; }

    /// <summary>Renders a Markdown (GitHub) table under a bold caption.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder().Append("**").Append(Title).AppendLine("**").AppendLine();
        text.Append("| ").AppendJoin(" | ", Headers.Select(Escape)).AppendLine(" |");
        text.Append('|').AppendJoin("|", Headers.Select(_ => "---")).AppendLine("|");
        foreach (IEnumerable<string> row in Body(Escape, c => $"**{c}**"))
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();

        static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
    }

    /// <summary>Renders CSV with a header row.</summary>
    /// <returns>The CSV.</returns>
    public string ToCsv()
    {
        var text = new StringBuilder();
        foreach (IEnumerable<string> row in Body(c => c, c => c + " *").Prepend(Headers))
        {
            text.AppendJoin(',', row.Select(Quote)).Append("\r\n");
        }

        return text.ToString();

        static string Quote(string cell) => cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    /// <summary>Renders a LaTeX <c>table</c> with a <c>tabular</c> (booktabs rules) and the caption.</summary>
    /// <returns>The LaTeX.</returns>
    public string ToLatex()
    {
        var text = new StringBuilder();
        text.AppendLine(@"\begin{table}[t]").AppendLine(@"\centering");
        text.Append(@"\caption{").Append(Escape(Title)).AppendLine("}");
        text.Append(@"\begin{tabular}{").Append(new string('l', Headers.Count)).AppendLine("}").AppendLine(@"\toprule");
        text.AppendJoin(" & ", Headers.Select(Escape)).AppendLine(@" \\").AppendLine(@"\midrule");
        foreach (IEnumerable<string> row in Body(Escape, c => $@"\textbf{{{c}}}"))
        {
            text.AppendJoin(" & ", row).AppendLine(@" \\");
        }

        return text.AppendLine(@"\bottomrule").AppendLine(@"\end{tabular}").AppendLine(@"\end{table}").ToString();

        static string Escape(string cell) => cell
            .Replace(@"\", @"\textbackslash{}", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal).Replace("&", @"\&", StringComparison.Ordinal)
            .Replace("#", @"\#", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)
            .Replace("±", @"$\pm$", StringComparison.Ordinal).Replace("*", @"$^{*}$", StringComparison.Ordinal)
            .Replace(TriggerCategoryTable.Above80, @"$\blacksquare$", StringComparison.Ordinal)
            .Replace(TriggerCategoryTable.From60To80, @"$\boxdot$", StringComparison.Ordinal)
            .Replace(TriggerCategoryTable.Below60, @"$\square$", StringComparison.Ordinal);
    }

    /// <summary>Renders an HTML <c>table</c> with a caption (text HTML-encoded).</summary>
    /// <returns>The HTML.</returns>
    public string ToHtml()
    {
        var text = new StringBuilder("<table>\n<caption>").Append(WebUtility.HtmlEncode(Title)).Append("</caption>\n<tr>");
        text.AppendJoin(string.Empty, Headers.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>")).Append("</tr>\n");
        foreach (IEnumerable<string> row in Body(WebUtility.HtmlEncode, c => $"<b>{c}</b>"))
        {
            text.Append("<tr>").AppendJoin(string.Empty, row.Select(c => $"<td>{c}</td>")).Append("</tr>\n");
        }

        return text.Append("</table>\n").ToString();
    }

    private IEnumerable<IEnumerable<string>> Body(Func<string, string> escape, Func<string, string> emphasize) =>
        Rows.Select((row, r) => row.Select((cell, c) => Emphasized.Contains((r, c)) ? emphasize(escape(cell)) : escape(cell)));

    /// <summary>Writes <c>name.md</c>, <c>name.csv</c> and <c>name.tex</c> into a directory.</summary>
    /// <param name="directory">The directory (created when missing).</param>
    /// <param name="name">The file name without extension.</param>
    /// <returns>The three paths.</returns>
    public IReadOnlyList<string> WriteAll(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        string[] paths = [Path.Combine(directory, name + ".md"), Path.Combine(directory, name + ".csv"), Path.Combine(directory, name + ".tex")];
        File.WriteAllText(paths[0], ToMarkdown());
        File.WriteAllText(paths[1], ToCsv());
        File.WriteAllText(paths[2], ToLatex());
        return paths;
    }

    /// <summary>Formats a fraction as a number with three decimals (invariant culture).</summary>
    internal static string Fraction(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Formats a summary of fractions as the paper does: percent with two decimals ± sd in percent with four, e.g. <c>98.50 ± 0.1915</c>.</summary>
    internal static string PercentWithSd(Summary summary) => summary.Count == 0
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{100 * summary.Mean:0.00} ± {100 * summary.StandardDeviation:0.0000}");
}
