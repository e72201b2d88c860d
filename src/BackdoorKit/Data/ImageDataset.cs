using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Data;

/// <summary>
/// An in-memory image classification dataset: images as one <c>uint8</c> tensor of shape <c>[N, C, H, W]</c> at the
/// source's native resolution, labels as one <c>int64</c> tensor of shape <c>[N]</c>, and the class names.
/// </summary>
/// <remarks>
/// The dataset owns its tensors: dispose it to free their native memory. Images are always RGB (<c>C == 3</c>); gray
/// sources such as MNIST are replicated to three channels when read, as the paper does. <see cref="SourceChannels"/>
/// keeps the channel count of the files so protocol rules that depend on it (see the published code's trigger colors
/// on gray images) can be applied.
/// </remarks>
public sealed class ImageDataset : IDisposable
{
    private bool disposed;

    /// <summary>Creates a dataset from tensors it takes ownership of.</summary>
    /// <param name="name">A short name, such as <c>mnist-train</c>.</param>
    /// <param name="images">A <c>uint8</c> tensor <c>[N, 3, H, W]</c>.</param>
    /// <param name="labels">An <c>int64</c> tensor <c>[N]</c> with values in <c>[0, classNames.Count)</c>.</param>
    /// <param name="classNames">The class names, indexed by label.</param>
    /// <param name="sourceChannels">Channels of the source files (1 for gray, 3 for color).</param>
    /// <exception cref="ArgumentException">The tensors have the wrong type or shape, or a label is out of range.</exception>
    public ImageDataset(string name, Tensor images, Tensor labels, IReadOnlyList<string> classNames, int sourceChannels = 3)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3)
        {
            throw new ArgumentException(
                $"images must be a uint8 tensor of shape [N, 3, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}].",
                nameof(images));
        }

        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException(
                $"labels must be an int64 tensor of shape [{images.shape[0]}]; got {labels.dtype} [{string.Join(", ", labels.shape)}].",
                nameof(labels));
        }

        if (classNames.Count < 1)
        {
            throw new ArgumentException("classNames must name at least one class.", nameof(classNames));
        }

        if (sourceChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceChannels), sourceChannels, "sourceChannels must be 1 or 3.");
        }

        if (labels.shape[0] > 0)
        {
            long min = labels.min().item<long>();
            long max = labels.max().item<long>();
            if (min < 0 || max >= classNames.Count)
            {
                throw new ArgumentException(
                    $"labels must lie in [0, {classNames.Count - 1}]; found values from {min} to {max}.", nameof(labels));
            }
        }

        Name = name;
        Images = images;
        Labels = labels;
        ClassNames = classNames.ToArray();
        SourceChannels = sourceChannels;
    }

    /// <summary>Gets the dataset's short name.</summary>
    public string Name { get; }

    /// <summary>Gets the images, <c>uint8 [N, 3, H, W]</c>.</summary>
    public Tensor Images { get; }

    /// <summary>Gets the labels, <c>int64 [N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Gets the class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Gets the number of channels of the source files (1 for gray sources such as MNIST, 3 for color).</summary>
    public int SourceChannels { get; }

    /// <summary>Gets the number of samples.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Gets the native image height in pixels.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Gets the native image width in pixels.</summary>
    public int Width => (int)Images.shape[3];

    /// <summary>Copies the dataset to a device (images and labels); the copy is independent of this one.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The copy, on <paramref name="device"/>.</returns>
    public ImageDataset To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        Tensor images = Images.to(device, copy: true).MoveToOuterDisposeScope();
        Tensor labels = Labels.to(device, copy: true).MoveToOuterDisposeScope();
        return new ImageDataset(Name, images, labels, ClassNames, SourceChannels);
    }

    /// <summary>Gets the bytes of the stored images and labels.</summary>
    public long Bytes => (Images.numel() * Images.element_size()) + (Labels.numel() * Labels.element_size());

    /// <summary>Returns a new dataset with the samples at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Sample indices in <c>[0, Count)</c>.</param>
    /// <param name="name">The new dataset's name; defaults to this one's.</param>
    /// <returns>A dataset that owns copies of the selected images and labels.</returns>
    public ImageDataset Subset(IReadOnlyList<long> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (long i in indices)
        {
            if (i < 0 || i >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"indices must lie in [0, {Count - 1}].");
            }
        }

        using var scope = NewDisposeScope();
        using var index = tensor(indices.ToArray(), ScalarType.Int64, Images.device);
        Tensor images = Images.index_select(0, index).MoveToOuterDisposeScope();
        Tensor labels = Labels.index_select(0, index).MoveToOuterDisposeScope();
        return new ImageDataset(name ?? Name, images, labels, ClassNames, SourceChannels);
    }

    /// <summary>Returns the labels as a managed array.</summary>
    /// <returns>One label per sample.</returns>
    public long[] LabelArray()
    {
        using Tensor cpuLabels = Labels.cpu();
        return cpuLabels.data<long>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Images.Dispose();
        Labels.Dispose();
    }
}
