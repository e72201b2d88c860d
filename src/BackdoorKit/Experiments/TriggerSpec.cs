namespace BackdoorKit.Experiments;

/// <summary>A trigger as an experiment describes it; its family builds it, and the protocol decides rounding and canvas.</summary>
/// <param name="Size">The side as a fraction of the image side, in (0, 1].</param>
/// <param name="Position">The position: <c>top-left</c>, <c>top-right</c>, <c>middle</c>, <c>bottom-left</c> or <c>bottom-right</c>.</param>
/// <param name="Color">The color as <c>#RRGGBB</c>.</param>
public sealed record TriggerSpec(double Size, string Position, string Color)
{
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
