using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>A trigger as an experiment describes it; its family builds it, and the protocol decides rounding and canvas.</summary>
/// <param name="Size">The side as a fraction of the image side, in (0, 1].</param>
/// <param name="Position">The position: <c>top-left</c>, <c>top-right</c>, <c>middle</c>, <c>bottom-left</c> or <c>bottom-right</c>.</param>
/// <param name="Color">The color as <c>#RRGGBB</c>.</param>
public sealed record TriggerSpec(double Size, string Position, string Color)
{
    /// <summary>
    /// The position or color a matrix gives a trigger of a family that does not use it (<see cref="ITriggerFactory.UsesPosition"/>,
    /// <see cref="ITriggerFactory.UsesColor"/>): <c>none</c>, so results and reports never attribute a blend or a warp to a
    /// position or color.
    /// </summary>
    public const string NotUsed = "none";

    /// <summary>Creates a trigger spec from typed values, in the canonical spelling (<c>bottom-right</c>, <c>#FFFFFF</c>).</summary>
    /// <param name="size">The side as a fraction of the image side, in (0, 1] (for other families, what they document).</param>
    /// <param name="position">A position other than <see cref="TriggerPosition.Custom"/>.</param>
    /// <param name="color">The color.</param>
    /// <param name="family">The trigger family; null (or <see cref="KnownTriggerFactories.Patch"/>) for the square patch.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException"><paramref name="position"/> is <see cref="TriggerPosition.Custom"/>, which a spec cannot hold.</exception>
    public static TriggerSpec For(double size, TriggerPosition position, TriggerColor color, ITriggerFactory? family = null) =>
        position == TriggerPosition.Custom
            ? throw new ArgumentException("position Custom needs a pixel offset, which a spec cannot hold; use a named position.", nameof(position))
            : new(size, TriggerPositions.ToName(position), color.ToString())
            {
                Family = family is null || ReferenceEquals(family, KnownTriggerFactories.Patch) ? null : family.Name,
            };

    /// <summary>
    /// Gets the trigger family (<see cref="ITriggerFactory.Name"/>) that builds the trigger, or null for the paper's
    /// square patch (<see cref="KnownTriggerFactories.Patch"/>). Part of the experiment id only when set, so patch
    /// experiments keep their ids.
    /// </summary>
    public string? Family
    {
        get;
        init => field = ExperimentMatrixLimits.NullOrSafeName(value, nameof(Family));
    }
}
