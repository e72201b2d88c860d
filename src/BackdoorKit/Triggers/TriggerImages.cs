using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>What every trigger checks of its input, and how a trigger computed in float returns the input's type.</summary>
internal static class TriggerImages
{
    /// <summary>Throws unless the images are uint8 or floating point, <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>.</summary>
    /// <param name="images">The images.</param>
    /// <param name="sourceChannels">1 or 3.</param>
    /// <exception cref="ArgumentException">The images have another type or shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sourceChannels"/> is neither 1 nor 3.</exception>
    public static void Check(Tensor images, int sourceChannels)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() is not (3 or 4) || images.shape[^3] != 3
            || !(images.dtype == ScalarType.Byte || is_floating_point(images)))
        {
            throw new ArgumentException(
                $"images must be uint8 or floating point, shaped [N, 3, H, W] or [3, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}].",
                nameof(images));
        }

        if (sourceChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceChannels), sourceChannels, "sourceChannels must be 1 or 3.");
        }
    }

    /// <summary>Returns float images in the 0-255 range as the type of the original: uint8 rounded and clamped, floats clamped.</summary>
    /// <param name="values">The computed images (float32).</param>
    /// <param name="type">The original element type.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor As(Tensor values, ScalarType type) => type == ScalarType.Byte
        ? values.round().clamp(0, 255).to_type(ScalarType.Byte)
        : values.clamp(0, 255).to_type(type);
}
