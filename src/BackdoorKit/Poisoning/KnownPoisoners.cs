namespace BackdoorKit.Poisoning;

/// <summary>The poisoners that ship with BackdoorKit.</summary>
public static class KnownPoisoners
{
    /// <summary>Gets the paper's replace-in-place dirty-label poisoner, the poisoner of a spec that names none.</summary>
    public static DirtyLabelPoisoner DirtyLabel { get; } = new();

    /// <summary>Gets the clean-label poisoner: target-class samples carry the trigger and keep their labels.</summary>
    public static CleanLabelPoisoner CleanLabel { get; } = new();

    /// <summary>Gets WaNet's poisoning with its noise mode (cross ratio 2), for the <c>wanet</c> trigger family.</summary>
    public static WaNetNoisePoisoner WaNetNoise { get; } = new();

    /// <summary>Gets every shipped poisoner.</summary>
    public static IReadOnlyList<IPoisoner> All { get; } = [DirtyLabel, CleanLabel, WaNetNoise];
}
