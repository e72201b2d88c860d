using BackdoorKit.Runtime;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Triggers;

public class PatchTriggerApplyTests
{
    public PatchTriggerApplyTests() => TorchRuntime.EnsureInitialized();

    public static TheoryData<ScalarType, bool, string, string> Cases => new()
    {
        { ScalarType.Byte, true, "white", "bottom-right" },
        { ScalarType.Byte, false, "black", "top-left" },
        { ScalarType.Float32, true, "green", "middle" },
        { ScalarType.Float32, false, "white", "top-right" },
        { ScalarType.Float64, true, "black", "bottom-left" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_AnyDtypeAndRank_ChangesExactlyTheRectanglesPixels(ScalarType dtype, bool batched, string color, string position)
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.08, Position = TriggerPositions.Parse(position), Color = TriggerColor.Parse(color),
        });
        using Tensor images = NoisyImages(batched ? 2 : 1, 32, 40, dtype, squeeze: !batched);
        using Tensor original = images.clone();
        PixelRectangle r = trigger.Resolve(32, 40); // 0.08 * 40 = 3.2 -> 3 wide, 0.08 * 32 = 2.56 -> 3 high
        int n = batched ? 2 : 1;

        using Tensor result = trigger.Apply(images);

        result.dtype.Should().Be(dtype);
        result.shape.Should().Equal(images.shape);
        Same(images, original).Should().BeTrue("the input must not change");
        using Tensor changed = result.ne(images).sum();
        changed.item<long>().Should().Be(n * 3 * 3 * 3);
        using Tensor patch = result[TensorIndex.Ellipsis, TensorIndex.Slice(r.Y, r.Y + r.Height), TensorIndex.Slice(r.X, r.X + r.Width)];
        TriggerColor c = trigger.Options.Color;
        using Tensor expected = tensor(new double[] { c.R, c.G, c.B }, dtype).view(3, 1, 1).expand_as(patch);
        Same(patch, expected).Should().BeTrue();
    }

    [Fact]
    public void Apply_GrayPublishedCodeRule_DrawsGreenAsBlackAndWhiteAsWhite()
    {
        var green = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.25, Color = TriggerColor.Green, GrayColorRule = GrayTriggerColorRule.PublishedCode,
        });
        var white = new PatchTrigger(green.Options with { Color = TriggerColor.White });
        using Tensor images = NoisyImages(1, 8, 8, ScalarType.Byte);

        using Tensor greenOnGray = green.Apply(images, sourceChannels: 1);
        using Tensor whiteOnGray = white.Apply(images, sourceChannels: 1);
        using Tensor greenOnColor = green.Apply(images, sourceChannels: 3);

        PixelValues(greenOnGray, 0, 0).Should().Equal(0, 0, 0);
        PixelValues(greenOnGray, 1, 1).Should().Equal(0, 0, 0);
        PixelValues(whiteOnGray, 1, 1).Should().Equal(255, 255, 255);
        PixelValues(greenOnColor, 1, 1).Should().Equal(102, 179, 92);
    }

    [Fact]
    public void Apply_GrayTrueColorRule_DrawsGreenOnGraySources()
    {
        var green = new PatchTrigger(new PatchTriggerOptions { Size = 0.25, Color = TriggerColor.Green });
        using Tensor images = NoisyImages(1, 8, 8, ScalarType.Byte);

        using Tensor result = green.Apply(images, sourceChannels: 1);

        PixelValues(result, 0, 0).Should().Equal(102, 179, 92);
    }

    [Fact]
    public void Apply_WrongShapeOrDtype_ThrowsNamingImages()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions());
        using Tensor gray = zeros(2, 1, 8, 8, ScalarType.Byte);
        using Tensor ints = zeros(2, 3, 8, 8, ScalarType.Int32);

        ((Action)(() => trigger.Apply(gray))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "images");
        ((Action)(() => trigger.Apply(ints))).Should().Throw<ArgumentException>().WithMessage("*Int32*");
    }

    [Fact]
    public void Apply_InvalidSourceChannels_Throws()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions());
        using Tensor images = zeros(1, 3, 8, 8, ScalarType.Byte);

        ((Action)(() => trigger.Apply(images, sourceChannels: 2))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "sourceChannels");
    }

    /// <summary>Values 1..90: none equals 0, 255, or a channel of the green color.</summary>
    private static Tensor NoisyImages(int n, int height, int width, ScalarType dtype, bool squeeze = false)
    {
        using var generator = new Generator(7);
        using Tensor values = randint(1, 91, [n, 3, height, width], generator: generator, dtype: ScalarType.Int64);
        Tensor images = values.to_type(dtype);
        if (!squeeze)
        {
            return images;
        }

        using (images)
        {
            return images[0].clone();
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b).all();
        return a.shape.SequenceEqual(b.shape) && equal.item<bool>();
    }

    private static long[] PixelValues(Tensor images, int y, int x)
    {
        using Tensor pixel = images[0, TensorIndex.Colon, y, x].to_type(ScalarType.Int64);
        return pixel.data<long>().ToArray();
    }
}
