namespace BackdoorKit.Data.Readers;

/// <summary>
/// Reads the binary version of CIFAR-10: <c>data_batch_1.bin</c> to <c>data_batch_5.bin</c> (training),
/// <c>test_batch.bin</c> (test) and <c>batches.meta.txt</c> (the ten class names, one a line).
/// </summary>
/// <remarks>
/// Each record is one label byte followed by 3072 pixel bytes: the 32x32 red plane, then green, then blue, which is
/// already the <c>[3, H, W]</c> layout. The path may name the folder holding the files or its parent, into which the
/// official archive extracts <c>cifar-10-batches-bin</c>. Each file must hold at least one record and only whole
/// records, and labels must lie in 0 to 9.
/// </remarks>
public sealed class Cifar10Reader : IDatasetReader
{
    /// <summary>The side of a CIFAR-10 image in pixels.</summary>
    public const int ImageSide = 32;

    /// <summary>The length of one record: a label byte and three 32x32 planes.</summary>
    public const int RecordBytes = 1 + (3 * ImageSide * ImageSide);

    private const int ClassCount = 10;
    private const string MetaFile = "batches.meta.txt";
    private static readonly string[] TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    private static readonly string[] TestFiles = ["test_batch.bin"];

    /// <inheritdoc />
    public string Name => "cifar10";

    /// <inheritdoc />
    public DatasetSplits Read(string path, CancellationToken cancellationToken = default)
    {
        string folder = DatasetFiles.Resolve(
            path, "CIFAR-10", f => File.Exists(Path.Combine(f, TrainFiles[0])), TrainFiles[0], "cifar-10-batches-bin");
        string metaPath = Path.Combine(folder, MetaFile);
        string[] classNames = DatasetFiles.ReadNonBlankLines(metaPath);
        if (classNames.Length != ClassCount)
        {
            throw new DatasetFormatException(metaPath, $"wrong class count: {classNames.Length} class names, expected {ClassCount}");
        }

        ImageDataset train = ReadSplit(folder, TrainFiles, "cifar10-train", classNames, cancellationToken);
        try
        {
            return new DatasetSplits(train, ReadSplit(folder, TestFiles, "cifar10-test", classNames, cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static ImageDataset ReadSplit(
        string folder, string[] fileNames, string name, string[] classNames, CancellationToken cancellationToken)
    {
        var batches = new List<(string File, byte[] Data)>();
        foreach (string fileName in fileNames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string file = Path.Combine(folder, fileName);
            byte[] data = File.ReadAllBytes(DatasetFiles.RequireFile(file));
            if (data.Length == 0)
            {
                throw new DatasetFormatException(file, $"empty split: the file holds 0 records; expected at least one {RecordBytes}-byte record");
            }

            if (data.Length % RecordBytes != 0)
            {
                throw new DatasetFormatException(
                    file,
                    $"truncated: the file has {data.Length} bytes, which is not a whole number of {RecordBytes}-byte records " +
                    $"({data.Length / RecordBytes} records and {data.Length % RecordBytes} bytes left over)");
            }

            batches.Add((file, data));
        }

        int count = batches.Sum(b => b.Data.Length / RecordBytes);
        const int imageBytes = RecordBytes - 1;
        byte[] pixels = new byte[checked((long)count * imageBytes)];
        long[] labels = new long[count];
        int n = 0;
        foreach ((string file, byte[] data) in batches)
        {
            for (int offset = 0; offset < data.Length; offset += RecordBytes, n++)
            {
                byte label = data[offset];
                if (label >= ClassCount)
                {
                    throw new DatasetFormatException(
                        file, $"label out of range: label {label} in record {offset / RecordBytes} is not in 0..{ClassCount - 1}");
                }

                labels[n] = label;
                data.AsSpan(offset + 1, imageBytes).CopyTo(pixels.AsSpan(n * imageBytes, imageBytes));
            }
        }

        return DatasetTensors.Create(name, pixels, count, ImageSide, ImageSide, labels, classNames, sourceChannels: 3);
    }
}
