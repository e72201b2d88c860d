using static TorchSharp.torch;

namespace BackdoorKit.Data.Readers;

/// <summary>Turns managed buffers read from files into an <see cref="ImageDataset"/>, creating each tensor once.</summary>
internal static class DatasetTensors
{
    /// <summary>Creates a dataset from planar RGB bytes and labels.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="pixels">Bytes in <c>[N, 3, H, W]</c> order.</param>
    /// <param name="count">N.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="classNames">The class names.</param>
    /// <param name="sourceChannels">1 for gray sources, 3 for color.</param>
    /// <returns>A dataset owning the new tensors.</returns>
    public static ImageDataset Create(
        string name, byte[] pixels, int count, int height, int width, long[] labels, IReadOnlyList<string> classNames, int sourceChannels)
    {
        Runtime.TorchRuntime.EnsureInitialized();
        Tensor images = tensor(pixels, [count, 3, height, width], ScalarType.Byte);
        Tensor labelTensor = tensor(labels, [labels.LongLength], ScalarType.Int64);
        try
        {
            return new ImageDataset(name, images, labelTensor, classNames, sourceChannels);
        }
        catch
        {
            images.Dispose();
            labelTensor.Dispose();
            throw;
        }
    }
}
