using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>
/// A trigger family: builds the <see cref="ITrigger"/> an experiment's <see cref="TriggerSpec"/> describes, under the
/// study's conventions. The square patch (<see cref="KnownTriggerFactories.Patch"/>) is the paper's; add your own
/// family to a <see cref="ComponentCatalog"/> and name it in <see cref="TriggerSpec.Family"/> (or a matrix's
/// <see cref="ExperimentMatrix.TriggerFamilies"/>) to sweep it like the patch.
/// </summary>
/// <remarks>Implementations are immutable and thread-safe; the same spec and protocol must give the same trigger.</remarks>
public interface ITriggerFactory
{
    /// <summary>Gets the family's name, as specs give it (e.g. <c>patch</c>).</summary>
    string Name { get; }

    /// <summary>Builds the trigger a spec describes.</summary>
    /// <param name="trigger">Size (fraction of the image side), position and color; a family interprets them as it documents.</param>
    /// <param name="protocol">The study's conventions (rounding, canvas, gray-color rule).</param>
    /// <returns>The trigger; its <see cref="ITrigger.Description"/> is recorded with every result.</returns>
    /// <exception cref="ArgumentException">The spec's values do not fit the family.</exception>
    ITrigger Create(TriggerSpec trigger, StudyProtocol protocol);

    /// <summary>
    /// Gets a value indicating whether the family's triggers depend on <see cref="TriggerSpec.Position"/>; a matrix sweeps
    /// a family that does not once, with position <see cref="TriggerSpec.NotUsed"/>. <see langword="true"/> unless a family says otherwise.
    /// </summary>
    bool UsesPosition => true;

    /// <summary>
    /// Gets a value indicating whether the family's triggers depend on <see cref="TriggerSpec.Color"/>; a matrix sweeps a
    /// family that does not once, with color <see cref="TriggerSpec.NotUsed"/>. <see langword="true"/> unless a family says otherwise.
    /// </summary>
    bool UsesColor => true;
}
