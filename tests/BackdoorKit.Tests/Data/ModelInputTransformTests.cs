using BackdoorKit.Data;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Data;

public class ModelInputTransformTests
{
    public ModelInputTransformTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Resize_Uint8Batch_ReturnsFloat32OfTheModelInputSize()
    {
        var transform = new ModelInputTransform(64, KnownNormalizations.ImageNet);
        using Tensor batch = randint(0, 256, [2, 3, 28, 28], ScalarType.Byte);

        using Tensor resized = transform.Resize(batch);

        resized.shape.Should().Equal(2, 3, 64, 64);
        resized.dtype.Should().Be(ScalarType.Float32);
        resized.device_type.Should().Be(batch.device_type);
        resized.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
        resized.max().item<float>().Should().BeLessThanOrEqualTo(255f);
    }

    [Theory]
    [InlineData(28, 64)]
    [InlineData(64, 16)]
    public void Resize_ConstantImage_StaysConstant(int native, int size)
    {
        var transform = new ModelInputTransform(size, KnownNormalizations.ImageNet);
        using Tensor batch = full([1, 3, native, native], 77, ScalarType.Byte);

        using Tensor resized = transform.Resize(batch);

        resized.sub(77f).abs().max().item<float>().Should().BeLessThan(1e-3f);
    }

    [Fact]
    public void Resize_UpscaleBy2_IsBilinearWithoutAlignedCorners()
    {
        var transform = new ModelInputTransform(4, KnownNormalizations.ImageNet);
        using Tensor batch = tensor(new float[] { 0, 100, 0, 100 }, [1, 1, 2, 2]).expand(1, 3, 2, 2).contiguous();

        using Tensor resized = transform.Resize(batch);

        // Half-pixel centers: output columns sample input x = -0.25, 0.25, 0.75, 1.25 (clamped): 0, 25, 75, 100.
        resized[0, 0, 0].data<float>().ToArray().Should().Equal(0f, 25f, 75f, 100f);
    }

    [Fact]
    public void Normalize_KnownValues_GivesExactResult()
    {
        var stats = new NormalizationStatistics([0.5f, 0.25f, 0f], [0.5f, 0.25f, 2f]);
        var transform = new ModelInputTransform(1, stats);
        using Tensor x = tensor(new float[] { 255f, 0f, 51f }, [1, 3, 1, 1]);

        using Tensor normalized = transform.Normalize(x);

        float[] values = normalized.data<float>().ToArray();
        values[0].Should().BeApproximately(1f, 1e-6f);   // (1 - 0.5) / 0.5
        values[1].Should().BeApproximately(-1f, 1e-6f);  // (0 - 0.25) / 0.25
        values[2].Should().BeApproximately(0.1f, 1e-6f); // (0.2 - 0) / 2
    }

    [Fact]
    public void Normalize_ImageNetMeanPixel_GivesZero()
    {
        var transform = new ModelInputTransform(1, KnownNormalizations.ImageNet);
        using Tensor x = tensor(new float[] { 0.485f * 255f, 0.456f * 255f, 0.406f * 255f }, [1, 3, 1, 1]);

        using Tensor normalized = transform.Normalize(x);

        normalized.abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Fact]
    public void Normalize_Uint8Input_IsRejected()
    {
        var transform = new ModelInputTransform(8, KnownNormalizations.ImageNet);
        using Tensor x = zeros([1, 3, 8, 8], ScalarType.Byte);

        Action act = () => transform.Normalize(x);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("resized");
    }

    [Fact]
    public void Apply_EqualsNormalizeOfResize()
    {
        var transform = new ModelInputTransform(12, KnownNormalizations.MnistPublishedCode);
        using Tensor batch = randint(0, 256, [2, 3, 7, 7], ScalarType.Byte);

        using Tensor applied = transform.Apply(batch);
        using Tensor resized = transform.Resize(batch);
        using Tensor twoSteps = transform.Normalize(resized);

        Same(applied, twoSteps).Should().BeTrue();
    }

    [Fact]
    public void Constructor_ZeroSize_ThrowsNamingParameter()
    {
        Action act = () => _ = new ModelInputTransform(0, KnownNormalizations.ImageNet);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("size");
    }

    [Fact]
    public void Resize_PublishedCode_ResizesTo256ThenCenterCrops224()
    {
        var transform = new ModelInputTransform(224, KnownNormalizations.ImageNet, ResizeRule.PublishedCode);
        // Left half 0, right half 200: after resize to 256 and crop at 16, column 0 maps to resized column 16.
        using Tensor batch = cat([zeros([1, 3, 64, 32]), full([1, 3, 64, 32], 200f)], 3);

        using Tensor resized = transform.Resize(batch);
        using Tensor reference = nn.functional.interpolate(
            batch, [256, 256], mode: InterpolationMode.Bilinear, align_corners: false);

        transform.CenterCropResizeSide.Should().Be(256);
        resized.shape.Should().Equal(1, 3, 224, 224);
        using Tensor expected = reference.narrow(2, 16, 224).narrow(3, 16, 224);
        resized.allclose(expected).Should().BeTrue();
    }

    [Fact]
    public void ResizeForTraining_PublishedCode_SameSeedSameOutputOtherSeedOtherOutput()
    {
        var transform = new ModelInputTransform(224, KnownNormalizations.ImageNet, ResizeRule.PublishedCode);
        using Tensor batch = randint(0, 256, [3, 3, 64, 64], ScalarType.Byte);

        using Tensor first = transform.ResizeForTraining(batch, new Random(7));
        using Tensor again = transform.ResizeForTraining(batch, new Random(7));
        using Tensor other = transform.ResizeForTraining(batch, new Random(8));

        first.shape.Should().Equal(3, 3, 224, 224);
        first.dtype.Should().Be(ScalarType.Float32);
        Same(first, again).Should().BeTrue();
        Same(first, other).Should().BeFalse();
    }

    [Fact]
    public void ResizeForTraining_Direct_IsTheDeterministicResize()
    {
        var transform = new ModelInputTransform(16, KnownNormalizations.ImageNet);
        using Tensor batch = randint(0, 256, [2, 3, 8, 8], ScalarType.Byte);

        using Tensor training = transform.ResizeForTraining(batch, new Random(1));
        using Tensor evaluation = transform.Resize(batch);

        Same(training, evaluation).Should().BeTrue();
    }

    [Fact]
    public void For_PublishedCodeRule_CropsOnlyTinyImageNet()
    {
        ModelInputTransform.For(KnownDatasets.TinyImageNet, ResizeRule.PublishedCode, NormalizationRule.PublishedCode)
            .ResizeRule.Should().Be(ResizeRule.PublishedCode);
        ModelInputTransform cifar = ModelInputTransform.For(KnownDatasets.Cifar10, ResizeRule.PublishedCode, NormalizationRule.PublishedCode);
        cifar.ResizeRule.Should().Be(ResizeRule.Direct);
        cifar.Size.Should().Be(128);
        cifar.Normalization.Should().Be(KnownNormalizations.Cifar10PublishedCode);
    }

    [Fact]
    public void Resize_InsideALoop_LeavesNoLiveTensorsBehind()
    {
        var transform = new ModelInputTransform(32, KnownNormalizations.ImageNet, ResizeRule.PublishedCode);
        using Tensor batch = randint(0, 256, [2, 3, 16, 16], ScalarType.Byte);
        using (transform.ResizeForTraining(batch, new Random(0)))
        {
        }

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++)
        {
            using Tensor resized = transform.ResizeForTraining(batch, new Random(i));
            using Tensor normalized = transform.Normalize(resized);
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
