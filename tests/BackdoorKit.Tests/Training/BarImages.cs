using BackdoorKit.Data;
using BackdoorKit.Runtime;
using BackdoorKit.Tests.Data.Fixtures;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Training;

/// <summary>
/// Tiny gray images whose class is easy to learn: class <c>k</c> has a bright bar on rows <c>3k+1</c> and <c>3k+2</c>,
/// columns 0 to 10, over dim noise. The bottom-right 4 x 4 corner is always background, so a trigger there is new.
/// </summary>
internal static class BarImages
{
    public const int Side = 16;
    public const int Classes = 4;

    /// <summary>One image of class <paramref name="label"/>; the noise follows <paramref name="seed"/>.</summary>
    public static byte[] Image(int label, int seed)
    {
        var random = new Random(seed);
        byte[] pixels = new byte[Side * Side];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.Next(0, 41);
        }

        for (int row = (3 * label) + 1; row <= (3 * label) + 2; row++)
        {
            for (int column = 0; column <= 10; column++)
            {
                pixels[(row * Side) + column] = (byte)random.Next(200, 256);
            }
        }

        return pixels;
    }

    /// <summary>Makes <paramref name="count"/> images with labels <c>i % Classes</c>.</summary>
    public static (byte[][] Images, byte[] Labels) Make(int count, int seed)
    {
        byte[] labels = [.. Enumerable.Range(0, count).Select(i => (byte)(i % Classes))];
        byte[][] images = [.. Enumerable.Range(0, count).Select(i => Image(labels[i], (seed * 100_003) + i))];
        return (images, labels);
    }

    /// <summary>Writes the bars as MNIST IDX files of 16 x 16 images into <paramref name="directory"/>.</summary>
    public static void WriteMnist(string directory, int trainCount, int testCount)
    {
        (byte[][] trainImages, byte[] trainLabels) = Make(trainCount, seed: 1);
        (byte[][] testImages, byte[] testLabels) = Make(testCount, seed: 2);
        Directory.CreateDirectory(directory);
        DatasetFixtures.WriteIdxImages(Path.Combine(directory, "train-images-idx3-ubyte"), trainImages, rows: Side, columns: Side);
        DatasetFixtures.WriteIdxLabels(Path.Combine(directory, "train-labels-idx1-ubyte"), trainLabels);
        DatasetFixtures.WriteIdxImages(Path.Combine(directory, "t10k-images-idx3-ubyte"), testImages, rows: Side, columns: Side);
        DatasetFixtures.WriteIdxLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte"), testLabels);
    }

    /// <summary>The bars as an in-memory dataset (gray replicated to three channels, as MNIST is read).</summary>
    public static ImageDataset Dataset(int count, int seed = 1)
    {
        TorchRuntime.EnsureInitialized();
        (byte[][] images, byte[] labels) = Make(count, seed);
        byte[] pixels = new byte[count * 3 * Side * Side];
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < 3; c++)
            {
                images[n].CopyTo(pixels, ((3 * n) + c) * Side * Side);
            }
        }

        using var scope = NewDisposeScope();
        Tensor imageTensor = tensor(pixels, [count, 3, Side, Side]).MoveToOuterDisposeScope();
        Tensor labelTensor = tensor(labels.Select(l => (long)l).ToArray()).MoveToOuterDisposeScope();
        return new ImageDataset("bars", imageTensor, labelTensor, [.. Enumerable.Range(0, 10).Select(i => $"{i}")], sourceChannels: 1);
    }
}
