namespace BackdoorKit.Poisoning;

/// <summary>The poisoners that ship with BackdoorKit.</summary>
public static class KnownPoisoners
{
    /// <summary>Gets the paper's replace-in-place dirty-label poisoner.</summary>
    public static DirtyLabelPoisoner DirtyLabel { get; } = new();

    /// <summary>Gets a catalog of every shipped poisoner.</summary>
    public static IPoisonerCatalog Catalog { get; } = new PoisonerCatalog([DirtyLabel]);
}
