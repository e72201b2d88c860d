namespace BackdoorKit.Triggers;

/// <summary>Stable kebab-case names for <see cref="TriggerPosition"/> values, used in descriptions and command lines.</summary>
public static class TriggerPositions
{
    private static readonly (TriggerPosition Position, string Name)[] Names =
    [
        (TriggerPosition.TopLeft, "top-left"),
        (TriggerPosition.TopRight, "top-right"),
        (TriggerPosition.Middle, "middle"),
        (TriggerPosition.BottomLeft, "bottom-left"),
        (TriggerPosition.BottomRight, "bottom-right"),
        (TriggerPosition.Custom, "custom"),
    ];

    /// <summary>Gets the name of a position, e.g. <c>top-left</c>.</summary>
    /// <param name="position">The position.</param>
    /// <returns>The kebab-case name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined position.</exception>
    public static string ToName(TriggerPosition position)
    {
        foreach ((TriggerPosition p, string name) in Names)
        {
            if (p == position)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(position), position, $"position must be one of: {AllowedNames}.");
    }

    /// <summary>Parses a position name (<c>top-left</c>, <c>top-right</c>, <c>middle</c>, <c>bottom-left</c>, <c>bottom-right</c>, <c>custom</c>; case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">The name is not one of the allowed names.</exception>
    public static TriggerPosition Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach ((TriggerPosition p, string known) in Names)
        {
            if (string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        throw new ArgumentException($"position '{name}' is unknown; allowed: {AllowedNames}.", nameof(name));
    }

    private static string AllowedNames => string.Join(", ", Names.Select(n => n.Name));
}
