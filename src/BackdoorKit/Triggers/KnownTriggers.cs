
namespace BackdoorKit.Triggers;

/// <summary>The paper's trigger grid (section 4.2): three sizes, five positions, three colors, and factories for its triggers.</summary>
public static class KnownTriggers
{
    /// <summary>Gets the paper's trigger sizes: 4 %, 6 % and 8 % of the image width and height.</summary>
    public static IReadOnlyList<double> Sizes { get; } = [0.04, 0.06, 0.08];

    /// <summary>Gets the paper's five positions: top-left, top-right, middle, bottom-left, bottom-right.</summary>
    public static IReadOnlyList<TriggerPosition> Positions { get; } =
    [
        TriggerPosition.TopLeft,
        TriggerPosition.TopRight,
        TriggerPosition.Middle,
        TriggerPosition.BottomLeft,
        TriggerPosition.BottomRight,
    ];

    /// <summary>Gets the paper's colors: black, white and green (green was not run on MNIST).</summary>
    public static IReadOnlyList<TriggerColor> Colors { get; } = [TriggerColor.Black, TriggerColor.White, TriggerColor.Green];
}
