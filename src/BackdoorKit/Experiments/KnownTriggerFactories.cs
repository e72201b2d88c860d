namespace BackdoorKit.Experiments;

/// <summary>The trigger families that ship with BackdoorKit.</summary>
public static class KnownTriggerFactories
{
    /// <summary>Gets the paper's square patch, the family of a spec whose <see cref="TriggerSpec.Family"/> is null.</summary>
    public static ITriggerFactory Patch { get; } = new PatchTriggerFactory();

    /// <summary>Gets every shipped family.</summary>
    public static IReadOnlyList<ITriggerFactory> All { get; } = [Patch];
}
