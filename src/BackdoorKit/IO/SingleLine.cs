namespace BackdoorKit.IO;

/// <summary>Keeps error messages on one line even when they quote names read from files (which may hold line breaks or control characters).</summary>
internal static class SingleLine
{
    /// <summary>Replaces every control character (line breaks included) with a space.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text on one line.</returns>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c;
            }
        });
    }
}
