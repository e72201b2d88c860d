using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Data.Fixtures;

/// <summary>Writes tiny datasets in the real on-disk formats, for reader tests and for tests elsewhere that need data.</summary>
internal static class DatasetFixtures
{
    public const int MnistSide = 28;
    public const int CifarSide = 32;
    public const int CifarImageBytes = 3 * CifarSide * CifarSide;

    /// <summary>A 28x28 gray image whose bytes depend on position and seed (no two pixels of a row alike).</summary>
    public static byte[] MnistImage(int seed) =>
        Enumerable.Range(0, MnistSide * MnistSide).Select(i => (byte)(((i * 7) + (seed * 31)) % 256)).ToArray();

    /// <summary>A CIFAR-10 image (R plane, G plane, B plane) whose planes differ, so a layout error shows.</summary>
    public static byte[] CifarImage(int seed) =>
        Enumerable.Range(0, CifarImageBytes).Select(i => (byte)(((i / 1024 * 80) + (i % 1024) + (seed * 13)) % 256)).ToArray();

    /// <summary>Writes the four MNIST IDX files (raw, or <c>.gz</c> when <paramref name="gzip"/> is set).</summary>
    public static void WriteMnist(
        string directory, byte[][] trainImages, byte[] trainLabels, byte[][] testImages, byte[] testLabels, bool gzip = false)
    {
        Directory.CreateDirectory(directory);
        string suffix = gzip ? ".gz" : string.Empty;
        WriteIdxImages(Path.Combine(directory, "train-images-idx3-ubyte" + suffix), trainImages);
        WriteIdxLabels(Path.Combine(directory, "train-labels-idx1-ubyte" + suffix), trainLabels);
        WriteIdxImages(Path.Combine(directory, "t10k-images-idx3-ubyte" + suffix), testImages);
        WriteIdxLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte" + suffix), testLabels);
    }

    /// <summary>Writes a small valid MNIST (5 train, 3 test images, seeds 0..4 and 10..12) and returns the labels.</summary>
    public static (byte[] Train, byte[] Test) WriteSmallMnist(string directory, bool gzip = false)
    {
        byte[] trainLabels = [5, 0, 4, 1, 9];
        byte[] testLabels = [7, 2, 1];
        WriteMnist(
            directory,
            Enumerable.Range(0, 5).Select(MnistImage).ToArray(),
            trainLabels,
            Enumerable.Range(10, 3).Select(MnistImage).ToArray(),
            testLabels,
            gzip);
        return (trainLabels, testLabels);
    }

    /// <summary>Writes an IDX3 image file; the header fields can be overridden to make corrupt files.</summary>
    public static void WriteIdxImages(string path, byte[][] images, int magic = 2051, int? count = null, int rows = MnistSide, int columns = MnistSide)
    {
        byte[] data = new byte[16 + images.Sum(i => i.Length)];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), count ?? images.Length);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), columns);
        int offset = 16;
        foreach (byte[] image in images)
        {
            image.CopyTo(data, offset);
            offset += image.Length;
        }

        WriteMaybeGzip(path, data);
    }

    /// <summary>Writes an IDX1 label file.</summary>
    public static void WriteIdxLabels(string path, byte[] labels, int magic = 2049)
    {
        byte[] data = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), labels.Length);
        labels.CopyTo(data, 8);
        WriteMaybeGzip(path, data);
    }

    /// <summary>
    /// Writes CIFAR-10's binary files: the training records split over <c>data_batch_1..5.bin</c> in order (at least one
    /// each), the test records in <c>test_batch.bin</c>, and <c>batches.meta.txt</c> with blank lines around the names.
    /// </summary>
    public static void WriteCifar10(string directory, (byte Label, byte[] Pixels)[] train, (byte Label, byte[] Pixels)[] test)
    {
        Directory.CreateDirectory(directory);
        for (int b = 0; b < 5; b++)
        {
            int from = b * train.Length / 5, to = (b + 1) * train.Length / 5;
            File.WriteAllBytes(Path.Combine(directory, $"data_batch_{b + 1}.bin"), CifarRecords(train[from..to]));
        }

        File.WriteAllBytes(Path.Combine(directory, "test_batch.bin"), CifarRecords(test));
        File.WriteAllText(
            Path.Combine(directory, "batches.meta.txt"),
            "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
    }

    /// <summary>Writes a small valid CIFAR-10 (5 train records with seeds 0..4, 3 test records with seeds 10..12).</summary>
    public static void WriteSmallCifar10(string directory)
    {
        byte[] trainLabels = [6, 9, 9, 4, 1];
        byte[] testLabels = [3, 8, 0];
        WriteCifar10(
            directory,
            trainLabels.Select((l, i) => (l, CifarImage(i))).ToArray(),
            testLabels.Select((l, i) => (l, CifarImage(10 + i))).ToArray());
    }

    /// <summary>Concatenates CIFAR-10 records (label byte + 3072 pixel bytes each).</summary>
    public static byte[] CifarRecords((byte Label, byte[] Pixels)[] records) =>
        records.SelectMany(r => new[] { r.Label }.Concat(r.Pixels)).ToArray();

    /// <summary>Writes a solid-color image; the format follows the extension (.png, .bmp, .jpg/.jpeg/.JPEG).</summary>
    public static void WriteSolidImage(string path, int width, int height, Rgb24 color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(width, height, color);
        SaveByExtension(image, path);
    }

    /// <summary>Writes an image whose pixel (x, y) is <c>(x * 10 + seed, y * 10 + seed, 200 - seed)</c>.</summary>
    public static void WriteGradientImage(string path, int width, int height, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)((x * 10) + seed), (byte)((y * 10) + seed), (byte)(200 - seed));
            }
        }

        SaveByExtension(image, path);
    }

    /// <summary>The color a TinyImageNet fixture image of a class and index has (distinct R, G and B).</summary>
    public static Rgb24 TinyColor(int label, int index) => new((byte)(40 + (label * 60)), (byte)(200 - (index * 30)), (byte)(10 + (label * 20) + index));

    /// <summary>
    /// Writes a TinyImageNet-200 layout with the given wnids: <c>trainPerClass</c> solid-color 8x8 JPEGs per class
    /// (files named in reverse order of their index to test sorting), and one val image per class, listed in reverse.
    /// </summary>
    public static void WriteTinyImageNet(string root, string[] wnids, int trainPerClass, int side = 8)
    {
        Directory.CreateDirectory(root);
        File.WriteAllLines(Path.Combine(root, "wnids.txt"), wnids);
        File.WriteAllLines(Path.Combine(root, "words.txt"), wnids.Take(wnids.Length - 1).Select((w, i) => $"{w}\tname{i}, other name"));
        for (int label = 0; label < wnids.Length; label++)
        {
            for (int i = 0; i < trainPerClass; i++)
            {
                WriteSolidImage(
                    Path.Combine(root, "train", wnids[label], "images", $"{wnids[label]}_{trainPerClass - 1 - i}.JPEG"),
                    side,
                    side,
                    TinyColor(label, trainPerClass - 1 - i));
            }
        }

        var lines = new List<string>();
        for (int label = wnids.Length - 1; label >= 0; label--)
        {
            WriteSolidImage(Path.Combine(root, "val", "images", $"val_{label}.JPEG"), side, side, TinyColor(label, 4));
            lines.Add($"val_{label}.JPEG\t{wnids[label]}\t0\t0\t{side - 1}\t{side - 1}");
        }

        File.WriteAllLines(Path.Combine(root, "val", "val_annotations.txt"), lines);
    }

    private static void SaveByExtension(Image<Rgb24> image, string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png":
                image.SaveAsPng(path);
                break;
            case ".bmp":
                image.SaveAsBmp(path);
                break;
            default:
                image.SaveAsJpeg(path, new JpegEncoder { Quality = 100 });
                break;
        }
    }

    private static void WriteMaybeGzip(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            File.WriteAllBytes(path, data);
            return;
        }

        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(data);
    }
}
