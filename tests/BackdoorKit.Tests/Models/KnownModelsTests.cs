using BackdoorKit.Experiments;
using BackdoorKit.Models;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

public sealed class KnownModelsTests
{
    [Theory]
    [InlineData("alexnet", ModelFamily.AlexNet, "classifier.6", "alexnet-owt-7be5be79.pth", "features.11")]
    [InlineData("vgg19_bn", ModelFamily.Vgg, "classifier.6", "vgg19_bn-c79401a0.pth", "features.51")]
    [InlineData("resnet152", ModelFamily.ResNet, "fc", "resnet152-394f9c45.pth", "layer4")]
    [InlineData("googlenet", ModelFamily.GoogLeNet, "fc", "googlenet-1378be20.pth", "inception5b")]
    [InlineData("resnet18", ModelFamily.ResNet, "fc", "resnet18-f37072fd.pth", "layer4")]
    public void Get_TorchvisionModel_DescribesHeadWeightsFileAndGradCamLayer(
        string name, ModelFamily family, string head, string weightsFile, string gradCamLayer)
    {
        IModelFactory factory = ComponentCatalog.Default.Models.Get(name);

        factory.Name.Should().Be(name);
        factory.Family.Should().Be(family);
        factory.HeadModuleName.Should().Be(head);
        factory.HeadParameterNames.Should().Equal(head + ".weight", head + ".bias");
        factory.WeightsFileNames[0].Should().Be(weightsFile);
        factory.GradCamLayerName.Should().Be(gradCamLayer);
    }

    [Fact]
    public void Get_ResNet152_AlsoAcceptsTorchvisionsCurrentDefaultWeights() =>
        KnownModels.ResNet152.WeightsFileNames.Should().Equal("resnet152-394f9c45.pth", "resnet152-f82ba261.pth");

    [Fact]
    public void Get_IsCaseInsensitive() => ComponentCatalog.Default.Models.Get("ResNet18").Should().BeSameAs(KnownModels.ResNet18);

    [Fact]
    public void Get_UnknownName_ThrowsNamingTheValueAndTheAllowedNames()
    {
        Action act = () => ComponentCatalog.Default.Models.Get("resnet50");

        act.Should().Throw<ArgumentException>()
            .WithMessage("*'resnet50'*alexnet, vgg19_bn, resnet152, googlenet, resnet18, small-cnn*");
    }

    [Fact]
    public void Create_WithoutWeights_LogsAWarningAndRecordsRandom()
    {
        var logger = new ListLogger();

        using BackdoorModel model = ComponentCatalog.Default.Models.Get("small-cnn").Create(4, logger: logger);

        model.WeightsSource.Should().Be("random");
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("random", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_WithExplicitRandomWeights_RecordsRandomWithoutWarning()
    {
        var logger = new ListLogger();

        using BackdoorModel model = KnownModels.SmallCnn.Create(4, ModelWeights.Random, logger: logger);

        model.WeightsSource.Should().Be("random");
        logger.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Create_WithZeroClasses_ThrowsNamingTheParameter()
    {
        Action act = () => KnownModels.SmallCnn.Create(0, ModelWeights.Random);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numClasses");
    }

    [Fact]
    public void Create_WithAHashForRandomWeights_Throws()
    {
        Action act = () => KnownModels.SmallCnn.Create(2, ModelWeights.Random with { ExpectedSha256 = new string('a', 64) });

        act.Should().Throw<ArgumentException>().WithParameterName("weights");
    }

    [Fact]
    public void Forward_OfSmallCnnAtSixteenPixels_ReturnsOneLogitPerClass()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);
        using var scope = torch.NewDisposeScope();

        torch.Tensor logits = model.Forward(torch.rand(2, 3, 16, 16));

        logits.shape.Should().Equal(2, 5);
        model.NumClasses.Should().Be(5);
        model.Name.Should().Be("small-cnn");
    }

    [Theory]
    [InlineData(2, 3, 15, 16)]
    [InlineData(2, 1, 16, 16)]
    public void Forward_WithAnInputTheModelCannotTake_ThrowsNamingTheShape(long batch, long channels, long height, long width)
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);
        using var input = torch.rand(batch, channels, height, width);

        Action act = () => model.Forward(input);

        act.Should().Throw<ArgumentException>().WithMessage($"*small-cnn*>= 16*[{batch}, {channels}, {height}, {width}]*");
    }

    [Theory]
    [InlineData("resnet18", 62)]
    [InlineData("small-cnn", 11)]
    public void ParameterTensorCount_MatchesTheBuiltModule(string name, int tensors)
    {
        using BackdoorModel model = ComponentCatalog.Default.Models.Get(name).Create(10, ModelWeights.Random);

        model.Architecture.ParameterTensorCount.Should().Be(tensors);
        model.Module.parameters().Should().HaveCount(tensors);
    }

    [Fact]
    public void ExpectedSha256_NotAHash_Throws()
    {
        Action act = () => _ = ModelWeights.FromFile("x.pth") with { ExpectedSha256 = "abc" };

        act.Should().Throw<ArgumentException>().WithMessage("*'abc'*64 hexadecimal*");
    }
}
