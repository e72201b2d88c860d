using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>Where a trigger was drawn, in pixels of the canvas it was drawn on; recorded with every result.</summary>
/// <param name="X">The left column.</param>
/// <param name="Y">The top row.</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
/// <param name="Canvas">The canvas: the native image or the model-input image.</param>
/// <param name="CanvasWidth">The canvas width in pixels.</param>
/// <param name="CanvasHeight">The canvas height in pixels.</param>
/// <param name="Description">The trigger's full description.</param>
public sealed record TriggerGeometry(
    int X,
    int Y,
    int Width,
    int Height,
    TriggerCanvas Canvas,
    int CanvasWidth,
    int CanvasHeight,
    string Description);
