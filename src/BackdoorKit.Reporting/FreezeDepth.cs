using System.Globalization;

namespace BackdoorKit.Reporting;

/// <summary>
/// Where a freeze strategy sits on a freeze-depth axis (the x axis of the paper's Figures 2 and 18): <c>freeze-index-j</c>
/// (parameter tensors 0..j frozen, the paper's AlexNet study), <c>freeze-first-k</c> (the first k tensors frozen) and
/// <c>train-last-k-stages</c> (the last k stages and the head train). Results with such a strategy form the freeze
/// study of a report; every other strategy belongs to the main matrix.
/// </summary>
/// <param name="Kind">The strategy family: <c>freeze-index</c>, <c>freeze-first</c> or <c>train-last-stages</c>.</param>
/// <param name="Value">The number in the strategy's name (j or k).</param>
public sealed record FreezeDepth(string Kind, int Value)
{
    private static readonly (string Kind, string Prefix, string Suffix, string Axis)[] Families =
    [
        ("freeze-index", "freeze-index-", string.Empty, "freeze index j (parameter tensors 0..j frozen; later ones and the head train)"),
        ("freeze-first", "freeze-first-", string.Empty, "k (first k parameter tensors frozen)"),
        ("train-last-stages", "train-last-", "-stages", "k (last k stages and the head train; earlier ones frozen in evaluation mode)"),
    ];

    /// <summary>Gets the axis label of the family.</summary>
    public string AxisLabel => Families.First(f => f.Kind == Kind).Axis;

    /// <summary>Reads a strategy's place on a freeze-depth axis.</summary>
    /// <param name="strategy">The freeze strategy's name.</param>
    /// <param name="depth">The depth, when the strategy has one.</param>
    /// <returns>Whether the strategy is one of the freeze-depth families.</returns>
    public static bool TryParse(string strategy, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FreezeDepth? depth)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        foreach ((string kind, string prefix, string suffix, _) in Families)
        {
            if (strategy.Length > prefix.Length + suffix.Length
                && strategy.StartsWith(prefix, StringComparison.Ordinal)
                && strategy.EndsWith(suffix, StringComparison.Ordinal)
                && int.TryParse(strategy.AsSpan(prefix.Length, strategy.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                depth = new FreezeDepth(kind, value);
                return true;
            }
        }

        depth = null;
        return false;
    }
}
