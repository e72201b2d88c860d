using System.Buffers.Binary;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// Writes MNIST's four IDX files of synthetic 28 x 28 gray digits: class <c>k</c> (labels <c>i % 10</c>) is a bright
/// horizontal bar on rows <c>2k+3</c> and <c>2k+4</c>, columns 4 to 21, over dim noise; the bottom-right corner stays
/// background, so a trigger there is new. Deterministic, so every run trains on the same images.
/// </summary>
internal static class SyntheticMnist
{
    private const int Side = 28;
    private const int Classes = 10;

    /// <summary>Writes <paramref name="trainCount"/> training and <paramref name="testCount"/> test images into <paramref name="folder"/>.</summary>
    public static void Write(string folder, int trainCount, int testCount)
    {
        Directory.CreateDirectory(folder);
        WriteSplit(folder, "train", trainCount, new Random(1));
        WriteSplit(folder, "t10k", testCount, new Random(2));
    }

    private static void WriteSplit(string folder, string prefix, int count, Random random)
    {
        byte[] images = new byte[16 + (count * Side * Side)];
        byte[] labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(images, 2051);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), Side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), Side);
        BinaryPrimitives.WriteInt32BigEndian(labels, 2049);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int n = 0; n < count; n++)
        {
            int label = n % Classes;
            labels[8 + n] = (byte)label;
            Span<byte> pixels = images.AsSpan(16 + (n * Side * Side), Side * Side);
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)random.Next(0, 41);
            }

            for (int row = (2 * label) + 3; row <= (2 * label) + 4; row++)
            {
                for (int column = 4; column <= 21; column++)
                {
                    pixels[(row * Side) + column] = (byte)random.Next(200, 256);
                }
            }
        }

        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labels);
    }
}
