using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Poisoning;

/// <summary>
/// A batch taken from a <see cref="PoisonedDataset"/>: the clean native images, the poisoned labels, and which rows carry
/// the trigger. The trigger is drawn by <see cref="Render"/> (or <see cref="DrawTrigger"/>) so it lands on the canvas
/// the trigger asks for. Disposing the batch frees its tensors.
/// </summary>
public sealed class PoisonedBatch : IDisposable
{
    internal PoisonedBatch(Tensor images, Tensor labels, Tensor triggered, ITrigger trigger, int sourceChannels, (Tensor Rows, ITrigger Trigger)? cover = null)
    {
        Images = images;
        Labels = labels;
        Triggered = triggered;
        Trigger = trigger;
        SourceChannels = sourceChannels;
        Covered = cover?.Rows;
        CoverTrigger = cover?.Trigger;
    }

    /// <summary>Gets the clean images at native resolution, <c>uint8 [B, 3, H, W]</c>, without the trigger.</summary>
    public Tensor Images { get; }

    /// <summary>Gets the labels, <c>int64 [B]</c>: the target class on triggered rows, the clean label elsewhere.</summary>
    public Tensor Labels { get; }

    /// <summary>Gets which rows carry the trigger, <c>bool [B]</c>.</summary>
    public Tensor Triggered { get; }

    /// <summary>Gets the trigger to draw on the triggered rows.</summary>
    public ITrigger Trigger { get; }

    /// <summary>Gets which rows carry the cover trigger (<see cref="PoisonedDataset.CoverIndices"/>), <c>bool [B]</c>, or null when the dataset has none.</summary>
    public Tensor? Covered { get; }

    /// <summary>Gets the trigger drawn on covered rows (labels kept), or null.</summary>
    public ITrigger? CoverTrigger { get; }

    /// <summary>Gets the channel count of the source files, passed to <see cref="ITrigger.Apply"/>.</summary>
    public int SourceChannels { get; }

    /// <summary>
    /// Turns the batch into model input with the trigger drawn on its canvas: on the native images before
    /// <paramref name="toModelInput"/> for <see cref="TriggerCanvas.NativeImage"/>, after it for
    /// <see cref="TriggerCanvas.ModelInput"/>.
    /// </summary>
    /// <param name="toModelInput">Resizes (and may convert) a <c>[B, 3, H, W]</c> batch in the 0-255 range; it must keep the row order and range.</param>
    /// <returns>A new tensor the caller owns.</returns>
    public Tensor Render(Func<Tensor, Tensor> toModelInput)
    {
        ArgumentNullException.ThrowIfNull(toModelInput);
        using var scope = NewDisposeScope();
        Tensor result = Trigger.Canvas == TriggerCanvas.NativeImage
            ? toModelInput(DrawTrigger(Images))
            : DrawTrigger(toModelInput(Images));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Draws the trigger on the rows flagged in <see cref="Triggered"/> of <paramref name="images"/> (and the cover trigger on <see cref="Covered"/> rows), at its resolution.</summary>
    /// <param name="images">This batch's images (native or resized), <c>[B, 3, H', W']</c>, uint8 or floating point in 0-255.</param>
    /// <returns>A new tensor; <paramref name="images"/> is not changed.</returns>
    /// <exception cref="ArgumentException">The first dimension is not the batch size.</exception>
    public Tensor DrawTrigger(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[0] != Triggered.shape[0])
        {
            throw new ArgumentException(
                $"images must be shaped [{Triggered.shape[0]}, 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var scope = NewDisposeScope();
        Tensor result = Draw(images.clone(), Triggered, Trigger);
        if (Covered is not null && CoverTrigger is not null)
        {
            result = Draw(result, Covered, CoverTrigger);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Draws <paramref name="trigger"/> in place on the flagged rows of <paramref name="images"/>.</summary>
    private Tensor Draw(Tensor images, Tensor flags, ITrigger trigger)
    {
        Tensor rows = flags.to(images.device).nonzero().flatten();
        return rows.numel() == 0 ? images : images.index_copy_(0, rows, trigger.Apply(images.index_select(0, rows), SourceChannels));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Triggered.Dispose();
        Covered?.Dispose();
    }
}
