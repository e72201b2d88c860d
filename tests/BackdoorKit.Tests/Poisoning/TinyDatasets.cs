using BackdoorKit.Data;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

internal static class TinyDatasets
{
    /// <summary>Makes <paramref name="count"/> noisy images (values 1..90) with labels <c>i % classes</c>.</summary>
    public static ImageDataset Create(int count, int classes = 10, int side = 8, int sourceChannels = 3)
    {
        TorchRuntime.EnsureInitialized();
        using var generator = new Generator(11);
        using Tensor values = randint(1, 91, [count, 3, side, side], generator: generator, dtype: ScalarType.Int64);
        Tensor images = values.to_type(ScalarType.Byte);
        Tensor labels = arange(count, ScalarType.Int64).remainder_(classes);
        return new ImageDataset(
            "tiny", images, labels, [.. Enumerable.Range(0, classes).Select(c => $"c{c}")], sourceChannels);
    }

    public static bool Same(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b).all();
        return a.shape.SequenceEqual(b.shape) && equal.item<bool>();
    }

    public static long[] Longs(Tensor t)
    {
        using Tensor cpu = t.to_type(ScalarType.Int64).cpu();
        return cpu.data<long>().ToArray();
    }
}
