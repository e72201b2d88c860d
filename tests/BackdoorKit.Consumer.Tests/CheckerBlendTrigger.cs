using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// A blended trigger (Chen et al., 2017): a checkerboard of one color mixed into the whole image with weight alpha, so
/// it has no rectangle of its own; <see cref="Resolve"/> gives the whole image, the pixels it may change.
/// </summary>
/// <param name="alpha">The weight of the pattern, in (0, 1].</param>
/// <param name="color">The color of the checkerboard's bright cells.</param>
/// <param name="canvas">The canvas it is drawn on.</param>
/// <param name="cell">The side of one checkerboard cell in pixels.</param>
public sealed class CheckerBlendTrigger(double alpha, TriggerColor color, TriggerCanvas canvas, int cell = 2) : ITrigger
{
    /// <inheritdoc />
    public string Description => $"checker-blend(alpha={alpha:0.###},color={color},cell={cell})";

    /// <inheritdoc />
    public TriggerCanvas Canvas => canvas;

    /// <inheritdoc />
    public PixelRectangle Resolve(int height, int width) => new(0, 0, width, height);

    /// <inheritdoc />
    public Tensor Apply(Tensor images, int sourceChannels = 3)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        long height = images.shape[^2], width = images.shape[^1];
        var pattern = new float[3 * height * width];
        byte[] rgb = [color.R, color.G, color.B];
        for (int c = 0; c < 3; c++)
        {
            for (long y = 0; y < height; y++)
            {
                for (long x = 0; x < width; x++)
                {
                    bool bright = ((y / cell) + (x / cell)) % 2 == 0;
                    pattern[(((c * height) + y) * width) + x] = bright ? rgb[c] : 0;
                }
            }
        }

        Tensor mix = tensor(pattern, [3, height, width]).to(images.device);
        Tensor blended = (images.to_type(ScalarType.Float32) * (1 - alpha)) + (mix * alpha);
        Tensor result = images.dtype == ScalarType.Byte
            ? blended.round().clamp(0, 255).to_type(ScalarType.Byte)
            : blended.to_type(images.dtype);
        return result.MoveToOuterDisposeScope();
    }
}
