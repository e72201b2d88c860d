using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Training;

public sealed class DatasetBatchSourceTests : IDisposable
{
    private const int Canvas = 32;
    private static readonly ModelInputTransform Transform = new(Canvas, KnownNormalizations.ImageNet);
    private static readonly PatchTrigger WhiteCorner =
        KnownProtocols.PaperText.CreateTrigger(0.25, TriggerPosition.BottomRight, TriggerColor.White);

    private readonly ImageDataset bars = BarImages.Dataset(12);

    public void Dispose() => bars.Dispose();

    [Fact]
    public void GetBatch_Clean_ServesNormalizedModelInputWithCleanLabels()
    {
        var source = DatasetBatchSource.FromClean(bars, Transform);
        using Tensor indices = tensor(new long[] { 5, 0, 2 });

        (Tensor inputs, Tensor labels) = source.GetBatch(indices, CPU, augmentation: null);
        using (inputs)
        using (labels)
        {
            source.Count.Should().Be(12);
            inputs.shape.Should().Equal(3, 3, Canvas, Canvas);
            inputs.dtype.Should().Be(ScalarType.Float32);
            inputs.device_type.Should().Be(DeviceType.CPU);
            labels.dtype.Should().Be(ScalarType.Int64);
            labels.device_type.Should().Be(DeviceType.CPU);
            labels.data<long>().ToArray().Should().Equal(1, 0, 2);
            using Tensor expected = Transform.Apply(bars.Images.index_select(0, indices));
            TinySame(inputs, expected).Should().BeTrue();
        }
    }

    [Fact]
    public void GetBatch_Poisoned_DrawsTheTriggerOnTheModelInputCanvas_AndServesPoisonedLabels()
    {
        using PoisonedDataset poisoned = new(bars, WhiteCorner, targetClass: 3, poisonedIndices: [1, 4]);
        var source = DatasetBatchSource.FromPoisoned(poisoned, Transform);
        using Tensor indices = tensor(new long[] { 4, 0, 1 });

        (Tensor inputs, Tensor labels) = source.GetBatch(indices, CPU, augmentation: null);
        using (inputs)
        using (labels)
        {
            labels.data<long>().ToArray().Should().Equal(3, 0, 3);
            source.Labels.data<long>().ToArray().Should().Equal(0, 3, 2, 3, 3, 1, 2, 3, 0, 1, 2, 3);
            PixelRectangle r = WhiteCorner.Resolve(Canvas, Canvas);
            r.Should().Be(new PixelRectangle(24, 24, 8, 8), "a quarter of the 32 px model input, not of the 16 px native image");

            // White normalized: (1 - mean) / std per channel, on every pixel of the rectangle and nowhere else.
            float[] white = [.. Enumerable.Range(0, 3).Select(c => (1f - KnownNormalizations.ImageNet.Mean[c]) / KnownNormalizations.ImageNet.Std[c])];
            int[] sampleOfRow = [4, 0, 1];
            for (int row = 0; row < 3; row++)
            {
                bool triggered = row != 1;
                using Tensor patch = inputs[row, .., r.Y.., r.X..];
                using Tensor expected = tensor(white).view(3, 1, 1).expand(3, r.Height, r.Width);
                patch.allclose(expected, rtol: 0, atol: 1e-5).Should().Be(triggered, $"row {row} is {(triggered ? string.Empty : "not ")}poisoned");
                using Tensor outside = inputs[row, .., ..r.Y, ..];
                using Tensor clean = Transform.Apply(bars.Images.narrow(0, sampleOfRow[row], 1));
                using Tensor cleanOutside = clean[0, .., ..r.Y, ..];
                TinySame(outside, cleanOutside).Should().BeTrue("the trigger changes only its rectangle");
            }
        }
    }

    [Fact]
    public void GetBatch_LeavesTheCallersDataIntact()
    {
        using Tensor before = bars.Images.clone();
        using PoisonedDataset poisoned = new(bars, WhiteCorner, targetClass: 3, poisonedIndices: [0]);
        var source = DatasetBatchSource.FromPoisoned(poisoned, Transform);
        using Tensor indices = tensor(new long[] { 0, 1 });

        (Tensor inputs, Tensor labels) = source.GetBatch(indices, CPU, augmentation: new Random(1));
        inputs.Dispose();
        labels.Dispose();

        TinySame(bars.Images, before).Should().BeTrue();
        bars.LabelArray()[0].Should().Be(0);
    }

    private static bool TinySame(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b).all();
        return a.shape.SequenceEqual(b.shape) && equal.item<bool>();
    }
}
