namespace BackdoorKit.Triggers;

/// <summary>
/// The settings of a <see cref="PatchTrigger"/>: the paper's solid square patch. Each value is checked when it is set, so an
/// instance never holds an invalid value; <see cref="PatchTrigger"/> checks the combination once when it is built.
/// </summary>
/// <remarks>Defaults: an 8 % white patch at the top-left, sides rounded to the nearest pixel, drawn on the model input.</remarks>
public sealed record PatchTriggerOptions
{
    private readonly double size = 0.08;
    private readonly TriggerPosition position = TriggerPosition.TopLeft;
    private readonly PixelOffset? customOffset;
    private readonly TriggerRounding rounding = TriggerRounding.Round;
    private readonly TriggerCanvas canvas = TriggerCanvas.ModelInput;
    private readonly GrayTriggerColorRule grayColorRule = GrayTriggerColorRule.TrueColor;
    private readonly PatchPattern pattern = PatchPattern.Solid;

    /// <summary>Gets the patch side as a fraction of the image width (and, separately, of its height), in <c>(0, 1]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>(0, 1]</c> (NaN included).</exception>
    public double Size
    {
        get => size;
        init => size = value is > 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Size), value, $"Size must lie in (0, 1]; got {value}.");
    }

    /// <summary>Gets where the patch sits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerPosition"/>.</exception>
    public TriggerPosition Position
    {
        get => position;
        init => position = TriggerSettings.Defined(value, nameof(Position));
    }

    /// <summary>
    /// Gets the top-left corner of the patch, in pixels of the canvas it is drawn on, when <see cref="Position"/> is
    /// <see cref="TriggerPosition.Custom"/>; it must be <see langword="null"/> for every other position.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is negative.</exception>
    public PixelOffset? CustomOffset
    {
        get => customOffset;
        init => customOffset = value is null or { X: >= 0, Y: >= 0 }
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(CustomOffset), value, $"CustomOffset must have X >= 0 and Y >= 0; got {value}.");
    }

    /// <summary>Gets the patch color.</summary>
    public TriggerColor Color { get; init; } = TriggerColor.White;

    /// <summary>Gets how the side fraction becomes whole pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerRounding"/>.</exception>
    public TriggerRounding Rounding
    {
        get => rounding;
        init => rounding = TriggerSettings.Defined(value, nameof(Rounding));
    }

    /// <summary>Gets the canvas the patch is drawn on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerCanvas"/>.</exception>
    public TriggerCanvas Canvas
    {
        get => canvas;
        init => canvas = TriggerSettings.Defined(value, nameof(Canvas));
    }

    /// <summary>Gets how the color is drawn on images whose source files are gray.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="GrayTriggerColorRule"/>.</exception>
    public GrayTriggerColorRule GrayColorRule
    {
        get => grayColorRule;
        init => grayColorRule = TriggerSettings.Defined(value, nameof(GrayColorRule));
    }

    /// <summary>Gets what the square holds: the paper's solid color, a checkerboard of the color and black, or <see cref="Image"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PatchPattern"/>.</exception>
    public PatchPattern Pattern
    {
        get => pattern;
        init => pattern = TriggerSettings.Defined(value, nameof(Pattern));
    }

    /// <summary>Gets the picture an <see cref="PatchPattern.Image"/> patch holds; required for that pattern, null otherwise.</summary>
    public TriggerImage? Image { get; init; }
}
