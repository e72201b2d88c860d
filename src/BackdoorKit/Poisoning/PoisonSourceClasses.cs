namespace BackdoorKit.Poisoning;

/// <summary>Which training samples may be chosen for poisoning.</summary>
public enum PoisonSourceClasses
{
    /// <summary>Samples of every class, the target class included, as the published code does (default).</summary>
    AllClasses = 0,

    /// <summary>Only samples whose label is not the target class.</summary>
    NonTargetClasses = 1,
}
