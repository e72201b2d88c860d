using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Onnx;
using TorchSharp;

namespace BackdoorKit.Tests.Data;

/// <summary>The mean-image normalization read from the ResNet-18 package's preprocessing graph, and how experiments pick it.</summary>
[Trait("Category", "Integration")]
public sealed class MeanImageNormalizationTests
{
    private static readonly MeanImageNormalization Packaged = KnownModels.ResNet18ImageNetCntk.GetInputNormalization()!;

    [Fact]
    public void FromThePackagedGraph_ReversesChannelsAndHoldsA224MeanImage()
    {
        Packaged.ReversesChannels.Should().BeTrue();
        (Packaged.Height, Packaged.Width).Should().Be((224, 224));
        Packaged.Source.Should().Be($"nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/{DnnImageFeaturizerPackage.Version}/ResNetPreprocess.onnx");
        Packaged.ChannelMeans.Should().HaveCount(3).And.OnlyContain(m => m > 50 && m < 200);
    }

    [Fact]
    public void Apply_AtAnotherSize_SwapsToBgrAndSubtractsTheChannelMeans()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor rgb = torch.tensor(new float[] { 10, 20, 30 }, [1, 3, 1, 1]).expand(2, 3, 64, 64);
        float[] means = Packaged.ChannelMeans;

        torch.Tensor result = Packaged.Apply(rgb);

        result.shape.Should().Equal(2, 3, 64, 64);
        result[1, .., 5, 7].data<float>().ToArray().Should().Equal(30 - means[0], 20 - means[1], 10 - means[2]);
    }

    [Fact]
    public void FromOnnx_OfAGraphThatIsNotAPreprocessing_Throws()
    {
        string resnet = DnnImageFeaturizerPackage.ResNet18.Locate();

        FluentActions.Invoking(() => OnnxPreprocessing.ReadMeanImage(resnet))
            .Should().Throw<ModelWeightsException>().WithMessage("*ResNet18.onnx*not a channel-swap and mean-image preprocessing graph*");
    }

    [Theory]
    [InlineData(NormalizationRule.ImageNet)]
    [InlineData(NormalizationRule.PublishedCode)]
    public void For_TheOnnxModel_UsesItsMeanImageWhateverTheRule(NormalizationRule rule)
    {
        DatasetDescriptor mnist = KnownDatasets.Mnist;

        ModelInputTransform transform = ModelInputTransform.For(mnist, ResizeRule.Direct, rule, KnownModels.ResNet18ImageNetCntk.GetInputNormalization());

        transform.MeanImage.Should().BeSameAs(Packaged);
        transform.Size.Should().Be(64);
    }

    [Fact]
    public void For_TorchvisionModels_KeepsTheRulesStatistics()
    {
        DatasetDescriptor mnist = KnownDatasets.Mnist;

        ModelInputTransform paper = ModelInputTransform.For(mnist, ResizeRule.Direct, NormalizationRule.ImageNet, KnownModels.ResNet18.GetInputNormalization());
        ModelInputTransform code = ModelInputTransform.For(mnist, ResizeRule.Direct, NormalizationRule.PublishedCode, KnownModels.ResNet152.GetInputNormalization());

        paper.MeanImage.Should().BeNull();
        paper.Normalization.Should().Be(KnownNormalizations.ImageNet);
        code.Normalization.Should().Be(KnownNormalizations.MnistPublishedCode);
    }
}
