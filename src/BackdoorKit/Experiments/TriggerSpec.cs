namespace BackdoorKit.Experiments;

/// <summary>A square patch trigger as an experiment describes it; the protocol decides rounding and canvas.</summary>
/// <param name="Size">The side as a fraction of the image side, in (0, 1].</param>
/// <param name="Position">The position: <c>top-left</c>, <c>top-right</c>, <c>middle</c>, <c>bottom-left</c> or <c>bottom-right</c>.</param>
/// <param name="Color">The color as <c>#RRGGBB</c>.</param>
public sealed record TriggerSpec(double Size, string Position, string Color);
