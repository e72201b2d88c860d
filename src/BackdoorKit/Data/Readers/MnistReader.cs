using System.Buffers.Binary;

namespace BackdoorKit.Data.Readers;

/// <summary>
/// Reads MNIST from its four IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>), raw or gzip-compressed (<c>.gz</c>).
/// </summary>
/// <remarks>
/// The path may name the folder holding the files, its <c>raw</c> sub-folder, or the folder holding torchvision's
/// <c>MNIST/raw</c>. Gray images are replicated to three channels; <see cref="ImageDataset.SourceChannels"/> is 1.
/// Class names are <c>"0"</c> to <c>"9"</c>. The files are checked for their magic numbers (2051 for images, 2049 for
/// labels, big-endian), their length against the header, equal image and label counts, and labels in 0 to 9; a split
/// of 0 images is refused.
/// </remarks>
public sealed class MnistReader : IDatasetReader
{
    /// <summary>The magic number of an IDX file of unsigned-byte images (three dimensions).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>The magic number of an IDX file of unsigned-byte labels (one dimension).</summary>
    public const int LabelsMagic = 2049;

    private const int ImagesHeaderBytes = 16;
    private const int LabelsHeaderBytes = 8;
    private const int ClassCount = 10;
    private static readonly string[] ClassNames = Enumerable.Range(0, ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <inheritdoc />
    public string Name => "mnist";

    /// <inheritdoc />
    public DatasetSplits Read(string path, CancellationToken cancellationToken = default)
    {
        string folder = DatasetFiles.Resolve(
            path,
            "MNIST",
            f => FindIdxFile(f, "train-images-idx3-ubyte") is not null,
            "train-images-idx3-ubyte[.gz]",
            "raw",
            Path.Combine("MNIST", "raw"));
        ImageDataset train = ReadSplit(folder, "train", cancellationToken);
        try
        {
            return new DatasetSplits(train, ReadSplit(folder, "t10k", cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static ImageDataset ReadSplit(string folder, string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string imagesFile = RequireIdxFile(folder, $"{prefix}-images-idx3-ubyte");
        string labelsFile = RequireIdxFile(folder, $"{prefix}-labels-idx1-ubyte");
        byte[] images = DatasetFiles.ReadBytes(imagesFile);
        (int count, int rows, int columns) = ParseImagesHeader(imagesFile, images);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] labelBytes = DatasetFiles.ReadBytes(labelsFile);
        long[] labels = ParseLabels(labelsFile, labelBytes, count, imagesFile);

        int plane = rows * columns;
        byte[] pixels = new byte[checked((long)count * 3 * plane)];
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<byte> gray = images.AsSpan(ImagesHeaderBytes + (n * plane), plane);
            for (int c = 0; c < 3; c++)
            {
                gray.CopyTo(pixels.AsSpan(((3 * n) + c) * plane, plane));
            }
        }

        string split = prefix == "train" ? "train" : "test";
        return DatasetTensors.Create($"mnist-{split}", pixels, count, rows, columns, labels, ClassNames, sourceChannels: 1);
    }

    private static (int Count, int Rows, int Columns) ParseImagesHeader(string file, byte[] data)
    {
        string length = LengthText(file, data.Length);
        if (data.Length < ImagesHeaderBytes)
        {
            throw new DatasetFormatException(file, $"truncated: an IDX image file needs a {ImagesHeaderBytes}-byte header but {length}");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != ImagesMagic)
        {
            throw new DatasetFormatException(
                file, $"bad magic number {magic} (0x{magic:X8}); an IDX image file starts with {ImagesMagic} (0x{ImagesMagic:X8})");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(12));
        if (count < 0 || rows < 1 || columns < 1)
        {
            throw new DatasetFormatException(file, $"bad dimensions: header says {count} images of {rows}x{columns}");
        }

        if (count == 0)
        {
            throw new DatasetFormatException(file, $"empty split: the header declares 0 images of {rows}x{columns}; expected at least one image");
        }

        long expected = ImagesHeaderBytes + ((long)count * rows * columns);
        CheckLength(file, data.Length, expected, $"header says {count} images of {rows}x{columns} ({expected} bytes)");
        return (count, rows, columns);
    }

    private static long[] ParseLabels(string file, byte[] data, int imageCount, string imagesFile)
    {
        string length = LengthText(file, data.Length);
        if (data.Length < LabelsHeaderBytes)
        {
            throw new DatasetFormatException(file, $"truncated: an IDX label file needs an {LabelsHeaderBytes}-byte header but {length}");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != LabelsMagic)
        {
            throw new DatasetFormatException(
                file, $"bad magic number {magic} (0x{magic:X8}); an IDX label file starts with {LabelsMagic} (0x{LabelsMagic:X8})");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        if (count < 0)
        {
            throw new DatasetFormatException(file, $"bad dimensions: header says {count} labels");
        }

        long expected = LabelsHeaderBytes + (long)count;
        CheckLength(file, data.Length, expected, $"header says {count} labels ({expected} bytes)");
        if (count != imageCount)
        {
            throw new DatasetFormatException(
                file, $"count mismatch: {count} labels but {Path.GetFileName(imagesFile)} has {imageCount} images");
        }

        long[] labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            byte label = data[LabelsHeaderBytes + i];
            if (label >= ClassCount)
            {
                throw new DatasetFormatException(file, $"label out of range: label {label} at index {i} is not in 0..{ClassCount - 1}");
            }

            labels[i] = label;
        }

        return labels;
    }

    private static void CheckLength(string file, long actual, long expected, string headerSays)
    {
        if (actual < expected)
        {
            throw new DatasetFormatException(file, $"truncated: {headerSays} but {LengthText(file, actual)}");
        }

        if (actual > expected)
        {
            throw new DatasetFormatException(file, $"length mismatch: {headerSays} but {LengthText(file, actual)}");
        }
    }

    private static string LengthText(string file, long length) =>
        DatasetFiles.IsGzip(file) ? $"the decompressed file has {length} bytes" : $"the file has {length} bytes";

    private static string? FindIdxFile(string folder, string baseName)
    {
        string raw = Path.Combine(folder, baseName);
        string gz = raw + ".gz";
        return File.Exists(raw) ? raw : File.Exists(gz) ? gz : null;
    }

    private static string RequireIdxFile(string folder, string baseName) =>
        FindIdxFile(folder, baseName)
        ?? throw new DatasetFormatException(Path.Combine(folder, baseName), $"missing: neither {baseName} nor {baseName}.gz exists");
}
