using System.Text.Json;
using static TorchSharp.torch;

namespace BackdoorKit.Poisoning;

/// <summary>The rule of each <see cref="LabelMode"/>: the label a triggered sample of a given class should take.</summary>
public static class LabelModes
{
    /// <summary>Gets the names matrices, results and reports spell the label modes with: <c>allToOne</c>, <c>allToAll</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<LabelMode>().Select(ToName)];

    /// <summary>Gets a label mode's name as matrices (JSON), results and reports spell it: <c>allToOne</c> or <c>allToAll</c>.</summary>
    /// <param name="mode">The label mode.</param>
    /// <returns>The name.</returns>
    public static string ToName(LabelMode mode) => JsonNamingPolicy.CamelCase.ConvertName(mode.ToString());

    /// <summary>Gets the label a poisoned sample of class <paramref name="cleanLabel"/> takes.</summary>
    /// <param name="mode">The label mode.</param>
    /// <param name="cleanLabel">The sample's clean label, in <c>[0, classCount)</c>.</param>
    /// <param name="targetClass">The target class of an all-to-one attack.</param>
    /// <param name="classCount">The number of classes, at least 1.</param>
    /// <returns>The poisoned label.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The mode is not defined, or the class count is below 1.</exception>
    public static long Target(LabelMode mode, long cleanLabel, int targetClass, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        return mode switch
        {
            LabelMode.AllToOne => targetClass,
            LabelMode.AllToAll => (cleanLabel + 1) % classCount,
            _ => throw Undefined(mode, nameof(mode)),
        };
    }

    /// <summary>Returns the poisoned labels of a whole label vector (the rule of <see cref="Target"/>, on a tensor).</summary>
    /// <param name="mode">The label mode.</param>
    /// <param name="cleanLabels">Clean labels, an <c>int64</c> vector.</param>
    /// <param name="targetClass">The target class of an all-to-one attack.</param>
    /// <param name="classCount">The number of classes, at least 1.</param>
    /// <returns>A new <c>int64</c> tensor on the labels' device.</returns>
    internal static Tensor Targets(LabelMode mode, Tensor cleanLabels, int targetClass, int classCount) => mode switch
    {
        LabelMode.AllToOne => full_like(cleanLabels, targetClass),
        LabelMode.AllToAll => cleanLabels.add(1).remainder_(classCount),
        _ => throw Undefined(mode, nameof(mode)),
    };

    /// <summary>Returns the mode if it is defined, else throws naming the parameter and the allowed values.</summary>
    /// <param name="mode">The value.</param>
    /// <param name="parameterName">The parameter or setting it came from.</param>
    /// <returns><paramref name="mode"/>.</returns>
    internal static LabelMode Defined(LabelMode mode, string parameterName) =>
        Enum.IsDefined(mode) ? mode : throw Undefined(mode, parameterName);

    private static ArgumentOutOfRangeException Undefined(LabelMode mode, string parameterName) =>
        new(parameterName, mode, $"{parameterName} must be one of: {string.Join(", ", Enum.GetNames<LabelMode>())}; got {mode}.");
}
