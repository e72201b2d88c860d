using System.Globalization;
using System.Text;

namespace BackdoorKit.Experiments;

/// <summary>Renders values from a matrix file for one-line error messages.</summary>
internal static class MatrixText
{
    /// <summary>The longest text a message quotes before cutting it short.</summary>
    private const int MaxQuoted = 80;

    /// <summary>
    /// Renders a value: null as <c>null</c>, text in single quotes with control characters escaped (<c>\n</c>,
    /// <c>\u001B</c>) and cut after 80 characters, numbers in invariant culture.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The one-line text.</returns>
    public static string Value(object? value) => value switch
    {
        null => "null",
        string text => $"'{Escape(text)}'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Renders a count with thousands separators, e.g. <c>1,000,000</c>.</summary>
    /// <param name="count">The count.</param>
    /// <returns>The text.</returns>
    public static string Count(Int128 count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Escapes control characters (<c>\n</c>, <c>\u001B</c>) and cuts the text after 80 characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The one-line text, unquoted.</returns>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(Math.Min(text.Length, MaxQuoted) + 8);
        foreach (char c in text.Length > MaxQuoted ? text[..MaxQuoted] : text)
        {
            escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $@"\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Length > MaxQuoted ? escaped.Append("...").ToString() : escaped.ToString();
    }
}
