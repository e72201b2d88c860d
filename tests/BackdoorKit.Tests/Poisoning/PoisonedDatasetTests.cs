using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

public class PoisonedDatasetTests
{
    // 0.2 * 8 = 1.6 -> 2 px natively; 0.2 * 16 = 3.2 -> 3 px on the 2x model input.
    private static readonly PatchTriggerOptions WhiteFifth = new() { Size = 0.2, Color = TriggerColor.White };

    [Theory]
    [InlineData(TriggerCanvas.ModelInput, 3 * 3)]
    [InlineData(TriggerCanvas.NativeImage, 4 * 4)]
    public void Render_DrawsOnTheTriggersCanvas_AndOnlyOnTriggeredRows(TriggerCanvas canvas, int whitePixels)
    {
        using ImageDataset clean = TinyDatasets.Create(6);
        var trigger = new PatchTrigger(WhiteFifth with { Canvas = canvas });
        using var poisoned = new PoisonedDataset(clean, trigger, targetClass: 9, poisonedIndices: [1, 4]);
        using Tensor rows = tensor(new long[] { 4, 0, 1 });

        using PoisonedBatch batch = poisoned.SelectBatch(rows);
        using Tensor input = batch.Render(x => x.repeat_interleave(2, 2).repeat_interleave(2, 3));

        input.shape.Should().Equal(3, 3, 16, 16);
        TinyDatasets.Longs(batch.Labels).Should().Equal(9, 0, 9);
        TinyDatasets.Longs(batch.Triggered).Should().Equal(1, 0, 1);
        using Tensor white = input.eq(255).sum([1, 2, 3]);
        TinyDatasets.Longs(white).Should().Equal(whitePixels * 3, 0, whitePixels * 3);
        TinyDatasets.Same(batch.Images, clean.Images.index_select(0, rows)).Should().BeTrue("batch images stay clean");
    }

    [Fact]
    public void MaterializeNative_DrawsAtNativeResolutionOnPoisonedRowsOnly()
    {
        using ImageDataset clean = TinyDatasets.Create(5);
        var trigger = new PatchTrigger(WhiteFifth);
        using var poisoned = new PoisonedDataset(clean, trigger, targetClass: 0, poisonedIndices: [2, 3]);

        using ImageDataset native = poisoned.MaterializeNative();

        native.Name.Should().Be("tiny-poisoned");
        native.LabelArray().Should().Equal(0, 1, 0, 0, 4);
        using Tensor changed = native.Images.ne(clean.Images).sum([1, 2, 3]);
        TinyDatasets.Longs(changed).Should().Equal(0, 0, 2 * 2 * 3, 2 * 2 * 3, 0);
    }

    [Fact]
    public void Constructor_UnsortedOrOutOfRangeIndices_Throws()
    {
        using ImageDataset clean = TinyDatasets.Create(5, side: 4);
        var trigger = new PatchTrigger(WhiteFifth);

        ((Action)(() => _ = new PoisonedDataset(clean, trigger, 0, [3, 1]))).Should().Throw<ArgumentException>()
            .WithMessage("*ascending*");
        ((Action)(() => _ = new PoisonedDataset(clean, trigger, 0, [5]))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "poisonedIndices");
        ((Action)(() => _ = new PoisonedDataset(clean, trigger, 0, [], [-1]))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "sampleIndices");
    }

    [Fact]
    public void RenderAndMaterialize_Repeated_LeaveNoLiveTensorsBehind()
    {
        using ImageDataset clean = TinyDatasets.Create(6);
        using var poisoned = new PoisonedDataset(clean, new PatchTrigger(WhiteFifth), 0, [1, 2]);
        using Tensor rows = tensor(new long[] { 0, 1, 2 });
        Render(poisoned, rows); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 5; i++)
        {
            Render(poisoned, rows);
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);

        static void Render(PoisonedDataset poisoned, Tensor rows)
        {
            using PoisonedBatch batch = poisoned.SelectBatch(rows);
            using Tensor input = batch.Render(x => x.repeat_interleave(2, 2));
            using ImageDataset native = poisoned.MaterializeNative();
        }
    }

    [Fact]
    public void Dispose_FreesOwnedTensors_ButNotTheCleanDataset()
    {
        using ImageDataset clean = TinyDatasets.Create(5, side: 4);
        var poisoned = new PoisonedDataset(clean, new PatchTrigger(WhiteFifth), 0, [1]);

        poisoned.Dispose();

        poisoned.Labels.IsInvalid.Should().BeTrue();
        poisoned.TriggerMask.IsInvalid.Should().BeTrue();
        clean.Images.IsInvalid.Should().BeFalse();
        clean.Labels.IsInvalid.Should().BeFalse();
    }
}
