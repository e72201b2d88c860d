using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>A shipped trigger family: a name and the function that builds its trigger from a spec under a protocol.</summary>
/// <param name="name">The family's name.</param>
/// <param name="create">Builds the trigger.</param>
/// <param name="placed">Whether the trigger depends on the spec's position and color (a patch), not only on its size.</param>
internal sealed class TriggerFamily(string name, Func<TriggerSpec, StudyProtocol, ITrigger> create, bool placed = true) : ITriggerFactory
{
    /// <inheritdoc />
    public bool UsesPosition => placed;

    /// <inheritdoc />
    public bool UsesColor => placed;

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
