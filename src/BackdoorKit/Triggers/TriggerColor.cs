using System.Globalization;

namespace BackdoorKit.Triggers;

/// <summary>An RGB trigger color with 8-bit channels.</summary>
/// <param name="R">The red channel.</param>
/// <param name="G">The green channel.</param>
/// <param name="B">The blue channel.</param>
public readonly record struct TriggerColor(byte R, byte G, byte B)
{
    /// <summary>Gets black, (0, 0, 0).</summary>
    public static TriggerColor Black { get; } = new(0, 0, 0);

    /// <summary>Gets white, (255, 255, 255).</summary>
    public static TriggerColor White { get; } = new(255, 255, 255);

    /// <summary>Gets the paper's green, (102, 179, 92), drawn once from a pseudorandom generator by its authors.</summary>
    public static TriggerColor Green { get; } = new(102, 179, 92);

    /// <summary>Parses <c>black</c>, <c>white</c>, <c>green</c> (case-insensitive) or a hexadecimal <c>#RRGGBB</c> color.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The color.</returns>
    /// <exception cref="ArgumentException">The text is none of the allowed forms.</exception>
    public static TriggerColor Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = value.Trim();
        switch (text.ToUpperInvariant())
        {
            case "BLACK":
                return Black;
            case "WHITE":
                return White;
            case "GREEN":
                return Green;
        }

        if (text.Length == 7 && text[0] == '#'
            && int.TryParse(text.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int rgb))
        {
            return new TriggerColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        }

        throw new ArgumentException(
            $"color '{value}' is not valid; allowed: black, white, green, or #RRGGBB with six hexadecimal digits.", nameof(value));
    }

    /// <summary>Formats the color as <c>#RRGGBB</c> with upper-case hexadecimal digits.</summary>
    /// <returns>The color text.</returns>
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
