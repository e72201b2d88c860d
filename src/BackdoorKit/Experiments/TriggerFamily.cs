using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>A shipped trigger family: a name and the function that builds its trigger from a spec under a protocol.</summary>
/// <param name="name">The family's name.</param>
/// <param name="create">Builds the trigger.</param>
/// <param name="usesPosition">Whether the trigger depends on the spec's position.</param>
/// <param name="usesColor">Whether the trigger depends on the spec's color.</param>
internal sealed class TriggerFamily(string name, Func<TriggerSpec, StudyProtocol, ITrigger> create, bool usesPosition = true, bool usesColor = true)
    : ITriggerFactory
{
    /// <inheritdoc />
    public bool UsesPosition => usesPosition;

    /// <inheritdoc />
    public bool UsesColor => usesColor;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public ITrigger Create(TriggerSpec trigger, StudyProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(protocol);
        return create(trigger, protocol);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
