using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>The paper's square patch: <see cref="StudyProtocol.CreateTrigger"/> with the spec's size, position and color.</summary>
internal sealed class PatchTriggerFactory : ITriggerFactory
{
    /// <inheritdoc />
    public string Name => "patch";

    /// <inheritdoc />
    public ITrigger Create(TriggerSpec trigger, StudyProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.CreateTrigger(trigger.Size, TriggerPositions.Parse(trigger.Position), TriggerColor.Parse(trigger.Color));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
