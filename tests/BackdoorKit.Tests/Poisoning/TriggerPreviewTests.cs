using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Triggers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

public class TriggerPreviewTests
{
    // 8 px native images shown at 20 px: 0.25 * 20 = 5 px on the model input, 0.25 * 8 = 2 px natively.
    private static readonly ModelInputTransform To20 = new(20, KnownNormalizations.ImageNet);
    private static readonly TriggerColor Orange = new(250, 120, 10);

    [Theory]
    [InlineData(TriggerCanvas.ModelInput)]
    [InlineData(TriggerCanvas.NativeImage)]
    public void Render_IsWhatTrainingBatchesRender(TriggerCanvas canvas)
    {
        using ImageDataset clean = TinyDatasets.Create(6);
        var trigger = new PatchTrigger(new() { Size = 0.25, Position = TriggerPosition.BottomRight, Color = Orange, Canvas = canvas });
        using var poisoned = new PoisonedDataset(clean, trigger, targetClass: 0, poisonedIndices: [0, 1], sampleIndices: [4, 1]);
        using PoisonedBatch batch = poisoned.SelectBatch(tensor(new long[] { 0, 1 }));
        using Tensor expected = batch.Render(To20.Resize);

        using Tensor preview = TriggerPreview.Render(clean, [4, 1], trigger, To20);

        preview.shape.Should().Equal(2, 3, 20, 20);
        preview.dtype.Should().Be(ScalarType.Float32);
        TinyDatasets.Same(preview, expected).Should().BeTrue();
    }

    [Fact]
    public void Render_ModelInputCanvas_PatchIsTheColorAndTheRestIsTheResizedImage()
    {
        using ImageDataset clean = TinyDatasets.Create(3);
        PatchTrigger trigger = KnownProtocols.PaperText.CreateTrigger(0.25, TriggerPosition.TopRight, Orange);
        trigger.Resolve(20, 20).Should().Be(new PixelRectangle(15, 0, 5, 5));

        using Tensor preview = TriggerPreview.Render(clean, [2], trigger, To20);
        using Tensor resized = To20.Resize(clean.Images.narrow(0, 2, 1));

        using Tensor patch = preview.narrow(2, 0, 5).narrow(3, 15, 5);
        TinyDatasets.Longs(patch.select(0, 0).select(1, 0).select(1, 0)).Should().Equal(250, 120, 10);
        using Tensor color = tensor(new float[] { 250, 120, 10 }).view(1, 3, 1, 1);
        patch.eq(color).all().item<bool>().Should().BeTrue();
        using Tensor mask = ones(1, 3, 20, 20, ScalarType.Bool);
        mask.narrow(2, 0, 5).narrow(3, 15, 5).fill_(false);
        TinyDatasets.Same(preview.masked_select(mask), resized.masked_select(mask)).Should().BeTrue();
        TinyDatasets.Same(patch, resized.narrow(2, 0, 5).narrow(3, 15, 5)).Should().BeFalse("the patch replaces the resized pixels");
    }

    [Fact]
    public void Render_NativeCanvas_IsTheTriggeredNativeImageResized()
    {
        using ImageDataset clean = TinyDatasets.Create(3);
        PatchTrigger trigger = KnownProtocols.SeedCode.CreateTrigger(0.25, TriggerPosition.TopLeft, TriggerColor.White);

        using Tensor preview = TriggerPreview.Render(clean, [1], trigger, To20);
        using Tensor native = trigger.Apply(clean.Images.narrow(0, 1, 1));
        using Tensor expected = To20.Resize(native);

        TinyDatasets.Same(preview, expected).Should().BeTrue();
        preview.select(0, 0).select(0, 0).select(0, 0).select(0, 0).item<float>().Should().Be(255f, "the patch's corner is not blurred");
    }

    [Fact]
    public void Render_GraySourceUnderSeedCode_DrawsGreenAsBlack()
    {
        using ImageDataset gray = TinyDatasets.Create(2, sourceChannels: 1);
        PatchTrigger trigger = (KnownProtocols.SeedCode with { TriggerCanvas = TriggerCanvas.ModelInput }).CreateTrigger(0.25, TriggerPosition.Middle, TriggerColor.Green);

        using Tensor preview = TriggerPreview.Render(gray, [0], trigger, To20);

        PixelRectangle r = trigger.Resolve(20, 20);
        TinyDatasets.Longs(preview.select(0, 0).select(1, r.Y).select(1, r.X)).Should().Equal(0, 0, 0);
    }

    [Fact]
    public void Render_BadIndices_Throw()
    {
        using ImageDataset clean = TinyDatasets.Create(3);
        PatchTrigger trigger = KnownProtocols.PaperText.CreateTrigger(0.25, TriggerPosition.Middle, TriggerColor.White);

        FluentActions.Invoking(() => TriggerPreview.Render(clean, [3], trigger, To20))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 2]*got 3*");
        FluentActions.Invoking(() => TriggerPreview.Render(clean, [-1], trigger, To20))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => TriggerPreview.Render(clean, [], trigger, To20))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "indices");
    }

    [Fact]
    public void ToRgbBytes_RoundsClampsAndInterleaves()
    {
        using Tensor image = tensor(new float[] { -3f, 127.6f, 255.6f, 10f, 20f, 30f }).view(3, 1, 2);

        (byte[] rgb, int height, int width) = ImageFiles.ToRgbBytes(image);

        (height, width).Should().Be((1, 2));
        rgb.Should().Equal(0, 255, 20, 128, 10, 30);
    }

    [Fact]
    public void ToRgbBytes_WrongShape_Throws()
    {
        using Tensor batch = zeros(2, 3, 4, 4);
        using Tensor gray = zeros(1, 4, 4);

        FluentActions.Invoking(() => ImageFiles.ToRgbBytes(batch)).Should().Throw<ArgumentException>().WithMessage("*[2, 3, 4, 4]*");
        FluentActions.Invoking(() => ImageFiles.ToRgbBytes(gray)).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(TriggerCanvas.ModelInput, 15, 15, 5)]
    [InlineData(TriggerCanvas.NativeImage, 6, 6, 2)]
    public void WritePng_WritesTheRenderedImageAsRgbAndReturnsTheRectangleOnTheCanvas(TriggerCanvas canvas, int x, int y, int side)
    {
        using var folder = new TempDirectory();
        using ImageDataset clean = TinyDatasets.Create(3);
        var trigger = new PatchTrigger(new() { Size = 0.25, Position = TriggerPosition.BottomRight, Color = Orange, Canvas = canvas });
        string path = folder.Combine("sub", "preview.png");

        PixelRectangle rectangle = TriggerPreview.WritePng(clean, 1, trigger, To20, path);

        rectangle.Should().Be(new PixelRectangle(x, y, side, side));
        using Tensor rendered = TriggerPreview.Render(clean, [1], trigger, To20);
        (byte[] expected, _, _) = ImageFiles.ToRgbBytes(rendered);
        using Image<Rgb24> png = Image.Load<Rgb24>(path);
        png.Width.Should().Be(20);
        png.Height.Should().Be(20);
        var actual = new byte[20 * 20 * 3];
        png.CopyPixelDataTo(actual);
        actual.Should().Equal(expected);
        png[19, 19].Should().Be(new Rgb24(250, 120, 10), "the bottom-right pixel is inside the patch either way");
        if (canvas == TriggerCanvas.ModelInput)
        {
            png[15, 15].Should().Be(new Rgb24(250, 120, 10));
            png[14, 19].Should().NotBe(new Rgb24(250, 120, 10), "the column left of the patch is the image (values 1..90)");
        }
    }
}
