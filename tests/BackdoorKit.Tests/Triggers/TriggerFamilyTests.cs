using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Runtime;
using BackdoorKit.Tests.Poisoning;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Triggers;

/// <summary>The shipped trigger families beyond the solid patch: each deterministic, drawn where and how its parameters say.</summary>
public class TriggerFamilyTests
{
    public TriggerFamilyTests() => TorchRuntime.EnsureInitialized();

    public static TheoryData<string> Families => ["checkerboard", "blend", "sig", "wanet"];

    [Theory]
    [MemberData(nameof(Families))]
    public void Apply_IsDeterministic_KeepsShapeAndType_AndLeavesTheInputAlone(string family)
    {
        ITrigger trigger = Create(family, 0.25);
        using Tensor images = Noise(2, 16, 20, ScalarType.Byte);
        using Tensor original = images.clone();

        using Tensor first = trigger.Apply(images);
        using Tensor second = Create(family, 0.25).Apply(images);

        first.dtype.Should().Be(ScalarType.Byte);
        first.shape.Should().Equal(2, 3, 16, 20);
        TinyDatasets.Same(first, second).Should().BeTrue("the same family and settings give the same pixels");
        TinyDatasets.Same(images, original).Should().BeTrue();
        TinyDatasets.Same(first, images).Should().BeFalse("the trigger changes the images");
    }

    [Fact]
    public void Blend_MixesTheSeededNoiseWithAlpha()
    {
        var trigger = new BlendTrigger(new BlendTriggerOptions { Alpha = 0.2 });
        using Tensor images = full([1, 3, 8, 8], 100f);

        using Tensor mixed = trigger.Apply(images);
        using Tensor pattern = trigger.Pattern(8, 8);
        using Tensor expected = pattern.mul(0.2).add(80).unsqueeze(0);

        mixed.allclose(expected, rtol: 0, atol: 1e-4).Should().BeTrue();
        pattern.min().item<float>().Should().BeGreaterThanOrEqualTo(0);
        pattern.max().item<float>().Should().BeLessThanOrEqualTo(255);
        using Tensor other = new BlendTrigger(new BlendTriggerOptions { Alpha = 0.2, PatternSeed = 1 }).Pattern(8, 8);
        TinyDatasets.Same(other, pattern).Should().BeFalse("another seed, another pattern");
        trigger.Resolve(8, 8).Should().Be(new PixelRectangle(0, 0, 8, 8));
    }

    [Fact]
    public void Sig_AddsTheHorizontalSinusoidToEveryRowAndChannel()
    {
        var trigger = new SinusoidalTrigger(new SinusoidalTriggerOptions { Amplitude = 20, Frequency = 6 });
        using Tensor images = full([3, 4, 24], 100f);

        using Tensor signal = trigger.Apply(images);

        for (int j = 0; j < 24; j++)
        {
            float expected = (float)(100 + (20 * Math.Sin(2 * Math.PI * j * 6 / 24)));
            signal[2, 3, j].item<float>().Should().BeApproximately(expected, 1e-3f, $"column {j}");
            signal[0, 0, j].item<float>().Should().BeApproximately(expected, 1e-3f);
        }
    }

    [Fact]
    public void Sig_OnUint8_ClampsToTheValueRange()
    {
        var trigger = new SinusoidalTrigger(new SinusoidalTriggerOptions { Amplitude = 50 });
        using Tensor images = full([1, 3, 4, 24], 250, ScalarType.Byte);

        using Tensor signal = trigger.Apply(images);

        signal.max().item<byte>().Should().Be(255);
        signal.min().item<byte>().Should().Be(200);
    }

    [Fact]
    public void WaNet_MovesTexturedImagesButNotConstantOnes_AndItsGridStaysInRange()
    {
        var trigger = new WarpTrigger(new WarpTriggerOptions { Strength = 1 });
        using Tensor constant = full([1, 3, 16, 16], 77f);
        using Tensor textured = Noise(1, 16, 16, ScalarType.Float32);

        using Tensor warpedConstant = trigger.Apply(constant);
        using Tensor warpedTexture = trigger.Apply(textured);
        using Tensor grid = trigger.Grid(16, 16);

        warpedConstant.allclose(constant, rtol: 0, atol: 1e-3).Should().BeTrue("warping a constant image changes nothing");
        warpedTexture.sub(textured).abs().mean().item<float>().Should().BeGreaterThan(1, "pixels move");
        grid.shape.Should().Equal(1, 16, 16, 2);
        grid.abs().max().item<float>().Should().BeLessThanOrEqualTo(1);
        using Tensor identity = new WarpTrigger(new WarpTriggerOptions { Strength = 1e-6 }).Apply(textured);
        identity.allclose(textured, rtol: 0, atol: 1e-2).Should().BeTrue("a vanishing strength is the identity");
    }

    [Fact]
    public void Checkerboard_AlternatesTheColorAndBlackInsideThePatchOnly()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.25, Position = TriggerPosition.TopLeft, Color = TriggerColor.White, Pattern = PatchPattern.Checkerboard,
        });
        using Tensor images = full([3, 16, 16], 100, ScalarType.Byte);

        using Tensor drawn = trigger.Apply(images);

        drawn[0, 0, 0].item<byte>().Should().Be(255);
        drawn[1, 0, 1].item<byte>().Should().Be(0);
        drawn[2, 1, 0].item<byte>().Should().Be(0);
        drawn[0, 3, 3].item<byte>().Should().Be(255);
        drawn[0, 4, 4].item<byte>().Should().Be(100, "outside the 4 x 4 patch");
        trigger.Description.Should().EndWith(",pattern=checkerboard)");
    }

    [Theory]
    [InlineData("blend", "blend(alpha=0.08,")]
    [InlineData("sig", "sig(amplitude=20.400000000000002,frequency=6,")]
    [InlineData("wanet", "wanet(strength=0.08,grid=4,")]
    [InlineData("checkerboard", "patch(size=0.08,position=middle,")]
    public void Families_ReadTheSpecsSizeAsTheirStrength(string family, string description)
    {
        Create(family, 0.08).Description.Should().StartWith(description);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Options_OutOfRange_ThrowNamingTheSetting(double value)
    {
        Action blend = () => _ = new BlendTriggerOptions { Alpha = value };
        Action warp = () => _ = new WarpTriggerOptions { Strength = value };

        blend.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Alpha");
        warp.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Strength");
    }

    private static ITrigger Create(string family, double size) =>
        ComponentCatalog.Default.Triggers.Get(family).Create(new TriggerSpec(size, "middle", "#FFFFFF"), KnownProtocols.PaperText);

    private static Tensor Noise(int count, int height, int width, ScalarType type)
    {
        using var generator = new Generator(5);
        using Tensor values = randint(0, 256, [count, 3, height, width], generator: generator, dtype: ScalarType.Int64);
        return values.to_type(type);
    }
}
