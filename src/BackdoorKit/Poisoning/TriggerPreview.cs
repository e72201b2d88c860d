using BackdoorKit.Data;
using BackdoorKit.Runtime;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Poisoning;

/// <summary>
/// Shows what a model is fed: samples with a trigger drawn exactly as training batches draw it
/// (<see cref="PoisonedBatch.Render"/> with <see cref="ModelInputTransform.Resize"/>), at the model-input resolution and
/// before normalization, and writes them as PNG files.
/// </summary>
/// <remarks>
/// The trigger lands on its <see cref="ITrigger.Canvas"/>: drawn on the native image and resized with it for
/// <see cref="TriggerCanvas.NativeImage"/>, drawn on the resized image for <see cref="TriggerCanvas.ModelInput"/>. The
/// deterministic (evaluation) resize is used, so under <see cref="ResizeRule.PublishedCode"/> TinyImageNet images are
/// center-cropped rather than randomly cropped and flipped.
/// </remarks>
public static class TriggerPreview
{
    /// <summary>Renders samples of a dataset with the trigger drawn, at model-input resolution, before normalization.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indices">Sample indices in <c>[0, dataset.Count)</c>, in the order wanted.</param>
    /// <param name="trigger">The trigger, drawn on every selected sample.</param>
    /// <param name="transform">The model-input transform (only its resize step is used).</param>
    /// <returns>A new <c>float32 [indices.Count, 3, Size, Size]</c> tensor in 0 to 255 the caller owns.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty.</exception>
    public static Tensor Render(ImageDataset dataset, IReadOnlyList<int> indices, ITrigger trigger, ModelInputTransform transform)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(transform);
        if (indices.Count == 0)
        {
            throw new ArgumentException("indices must name at least one sample.", nameof(indices));
        }

        foreach (int i in indices)
        {
            if (i < 0 || i >= dataset.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), i, $"indices must lie in [0, {dataset.Count - 1}] for '{dataset.Name}'; got {i}.");
            }
        }

        TorchRuntime.EnsureInitialized();
        Device device = dataset.Images.device;
        using Tensor rows = tensor(indices.Select(i => (long)i).ToArray(), ScalarType.Int64, device);
        using var batch = new PoisonedBatch(
            dataset.Images.index_select(0, rows),
            dataset.Labels.index_select(0, rows),
            ones(indices.Count, ScalarType.Bool, device),
            trigger,
            dataset.SourceChannels);
        return batch.Render(transform.Resize);
    }

    /// <summary>
    /// Renders one sample with the trigger (see <see cref="Render"/>) and writes it as an 8-bit RGB PNG of
    /// <c>transform.Size</c> x <c>transform.Size</c> pixels.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="index">The sample index, in <c>[0, dataset.Count)</c>.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="transform">The model-input transform (only its resize step is used).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <returns>The rectangle the trigger covers on its canvas: the model input for <see cref="TriggerCanvas.ModelInput"/>,
    /// the native image (before it is resized with the trigger) for <see cref="TriggerCanvas.NativeImage"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range, or the trigger does not fit.</exception>
    public static PixelRectangle WritePng(ImageDataset dataset, int index, ITrigger trigger, ModelInputTransform transform, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using Tensor rendered = Render(dataset, [index], trigger, transform);
        ImageFiles.SavePng(rendered, path);
        return trigger.Canvas == TriggerCanvas.ModelInput
            ? trigger.Resolve(transform.Size, transform.Size)
            : trigger.Resolve(dataset.Height, dataset.Width);
    }
}
