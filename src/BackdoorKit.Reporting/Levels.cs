using System.Globalization;
using BackdoorKit.Triggers;

namespace BackdoorKit.Reporting;

/// <summary>The order and names the paper gives the levels of datasets, positions and colors; unknown levels follow, ordinally.</summary>
internal static class Levels
{
    private static readonly string[] DatasetOrder = ["mnist", "cifar10", "tinyimagenet"];
    private static readonly string[] PositionOrder = ["top-left", "top-right", "middle", "bottom-left", "bottom-right"];
    private static readonly string[] ColorOrder = [TriggerColor.White.ToString(), TriggerColor.Black.ToString(), TriggerColor.Green.ToString()];
    private static readonly string[] ColorNames = ["white", "black", "green"];

    /// <summary>Orders datasets as the paper does: MNIST, CIFAR10, TinyImageNet, then the others.</summary>
    public static string[] Datasets(IEnumerable<string> values) => Ordered(values, DatasetOrder);

    /// <summary>Orders positions as the paper does: top-left, top-right, middle, bottom-left, bottom-right, then the others.</summary>
    public static string[] Positions(IEnumerable<string> values) => Ordered(values, PositionOrder);

    /// <summary>Orders colors as the paper's Table 3 does: white, black, green, then the others.</summary>
    public static string[] Colors(IEnumerable<string> values) => Ordered(values, ColorOrder);

    /// <summary>Names a <c>#RRGGBB</c> color: <c>white</c>, <c>black</c>, <c>green</c> (the paper's), or the hex text.</summary>
    public static string ColorName(string color)
    {
        int index = Array.IndexOf(ColorOrder, color.ToUpperInvariant());
        return index >= 0 ? ColorNames[index] : color;
    }

    /// <summary>Formats a fraction as a percentage with up to two decimals, e.g. <c>0.5 %</c>.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string[] Ordered(IEnumerable<string> values, string[] known) =>
        [.. values.Distinct().OrderBy(v => Array.IndexOf(known, v) is int i && i >= 0 ? i : known.Length).ThenBy(v => v, StringComparer.Ordinal)];
}
