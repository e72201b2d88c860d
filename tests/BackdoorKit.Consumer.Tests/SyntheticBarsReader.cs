using BackdoorKit.Data;
using static TorchSharp.torch;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// A dataset BackdoorKit does not ship, made up instead of read: 16 x 16 color images of four classes, class k a bright
/// horizontal bar in the k-th quarter of the image over dark noise. The path is ignored.
/// </summary>
public sealed class SyntheticBarsReader : IDatasetReader
{
    /// <summary>Training images.</summary>
    public const int TrainCount = 400;

    /// <summary>Test images.</summary>
    public const int TestCount = 200;

    /// <summary>Classes.</summary>
    public const int Classes = 4;

    /// <summary>Gets the dataset as a catalog entry.</summary>
    public static DatasetDescriptor Descriptor { get; } = new("bars", new SyntheticBarsReader(), TinyMlpFactory.Side)
    {
        TrainSplitSize = TrainCount,
        TestSplitSize = TestCount,
        NativeSide = TinyMlpFactory.Side,
        ClassCount = Classes,
    };

    /// <inheritdoc />
    public string Name => "bars";

    /// <inheritdoc />
    public DatasetSplits Read(string path, CancellationToken cancellationToken = default) =>
        new(Make("bars-train", TrainCount, seed: 1), Make("bars-test", TestCount, seed: 2));

    private static ImageDataset Make(string name, int count, int seed)
    {
        const int Side = TinyMlpFactory.Side;
        var random = new Random(seed);
        var pixels = new byte[count * 3 * Side * Side];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % Classes;
            labels[i] = label;
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < Side; y++)
                {
                    for (int x = 0; x < Side; x++)
                    {
                        bool bar = y / (Side / Classes) == label;
                        pixels[(((((i * 3) + c) * Side) + y) * Side) + x] = (byte)(bar ? random.Next(180, 256) : random.Next(0, 60));
                    }
                }
            }
        }

        return new ImageDataset(name, tensor(pixels, [count, 3, Side, Side]), tensor(labels), ["0", "1", "2", "3"]);
    }
}
