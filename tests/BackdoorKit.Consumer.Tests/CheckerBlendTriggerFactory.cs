using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// The <c>checker-blend</c> trigger family: a spec's size is the blend weight alpha, its color the checkerboard's
/// color; the position is ignored (the pattern covers the image); it is drawn on the protocol's canvas.
/// </summary>
public sealed class CheckerBlendTriggerFactory : ITriggerFactory
{
    /// <inheritdoc />
    public string Name => "checker-blend";

    /// <inheritdoc />
    public ITrigger Create(TriggerSpec trigger, StudyProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(protocol);
        return new CheckerBlendTrigger(trigger.Size, TriggerColor.Parse(trigger.Color), protocol.TriggerCanvas);
    }
}
