using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// A trigger that may change every pixel (a blend, a signal, a warp), so the rectangle it covers is the whole image.
/// Derive from it for such a trigger of your own and implement <see cref="Apply"/>.
/// </summary>
public abstract class WholeImageTrigger : ITrigger
{
    /// <summary>Initializes a new instance of the <see cref="WholeImageTrigger"/> class.</summary>
    /// <param name="description">The stable description recorded with results, e.g. <c>blend(alpha=0.1,...)</c>.</param>
    /// <param name="canvas">The canvas it is drawn on.</param>
    /// <exception cref="ArgumentException"><paramref name="description"/> is empty.</exception>
    protected WholeImageTrigger(string description, TriggerCanvas canvas)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Description = description;
        Canvas = canvas;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public TriggerCanvas Canvas { get; }

    /// <summary>Returns the whole image, every pixel of which the trigger may change.</summary>
    /// <param name="height">The image height in pixels.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <returns>The rectangle (0, 0, width, height).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    public PixelRectangle Resolve(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return new PixelRectangle(0, 0, width, height);
    }

    /// <inheritdoc />
    public abstract Tensor Apply(Tensor images, int sourceChannels = 3);

    /// <inheritdoc />
    public override string ToString() => Description;
}
