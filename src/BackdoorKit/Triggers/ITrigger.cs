using TorchSharp;

namespace BackdoorKit.Triggers;

/// <summary>
/// A backdoor trigger: a change to an image that a poisoned model learns to associate with the target class.
/// </summary>
/// <remarks>
/// Implementations are immutable and thread-safe. They work on batches of images in the 0-255 value range, either
/// <c>uint8</c> or floating point, of shape <c>[N, 3, H, W]</c>, on any device.
/// </remarks>
public interface ITrigger
{
    /// <summary>Gets a short, stable description used in experiment ids and result records, e.g. <c>patch(size=0.08,position=top-left,color=#FFFFFF,...)</c>.</summary>
    string Description { get; }

    /// <summary>Gets the canvas the trigger is drawn on: the native image before resizing, or the model-input image.</summary>
    TriggerCanvas Canvas { get; }

    /// <summary>
    /// Resolves the smallest rectangle that holds every pixel the trigger may change on an image of the given size: the
    /// patch itself for a patch trigger, the whole image for a blended or warping one. Recorded with every result.
    /// </summary>
    /// <param name="height">The image height in pixels.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <returns>The bounding rectangle.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive, or the trigger does not fit.</exception>
    PixelRectangle Resolve(int height, int width);

    /// <summary>Draws the trigger on a batch of images and returns the triggered copy; the input is not changed.</summary>
    /// <param name="images">Images <c>[N, 3, H, W]</c> (or a single image <c>[3, H, W]</c>) in the 0-255 range.</param>
    /// <param name="sourceChannels">Channels of the images' source files (1 for gray sources), for protocol color rules.</param>
    /// <returns>A new tensor with the trigger drawn, same shape, type and device.</returns>
    torch.Tensor Apply(torch.Tensor images, int sourceChannels = 3);
}
