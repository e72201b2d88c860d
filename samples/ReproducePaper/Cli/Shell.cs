using System.Text.RegularExpressions;

namespace ReproducePaper.Cli;

/// <summary>Quotes values for the bash scripts the commands write and the commands they print.</summary>
internal static partial class Shell
{
    /// <summary>
    /// Quotes a value as one bash word that expands to exactly the value: inside single quotes nothing is special, and a
    /// single quote is written as <c>'\''</c> (close, escaped quote, reopen).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The quoted word.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"'{value.Replace("'", @"'\''", StringComparison.Ordinal)}'";
    }

    /// <summary>Quotes each value (see <see cref="Quote(string)"/>) and joins them with spaces.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The quoted words.</returns>
    public static string Quote(IEnumerable<string> values) => string.Join(' ', values.Select(Quote));

    /// <summary>Gets a value as one bash word for a command line printed for people: unquoted when nothing in it is special.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value, or its quoted form (<see cref="Quote(string)"/>).</returns>
    public static string Word(string value) => PlainWord().IsMatch(value) ? value : Quote(value);

    /// <summary>
    /// Quotes a value for an <c>#SBATCH</c> line. sbatch reads those lines itself, not through bash: a backslash escapes the
    /// next character even inside quotes, and an unquoted <c>#</c> starts a comment. So the value goes into double quotes
    /// with <c>\</c> and <c>"</c> escaped; sbatch expands nothing else.
    /// </summary>
    /// <param name="value">The value; no control characters (an <c>#SBATCH</c> directive is one line).</param>
    /// <returns>The quoted value.</returns>
    /// <exception cref="ArgumentException">The value holds a control character.</exception>
    public static string SbatchQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"'{value.ReplaceLineEndings(" ")}' holds a control character and cannot go into an #SBATCH line", nameof(value));
        }

        return $"\"{value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex PlainWord();
}
