using BackdoorKit.Models.Freezing;

namespace BackdoorKit.Tests.Models.Freezing;

/// <summary>The exact trainable parameter sets of the paper's four models under every strategy.</summary>
[Trait("Category", "Integration")]
[Collection(PaperModelsCollection.Name)]
public sealed class PaperFreezeStrategyTests(PaperModelsFixture models)
{
    private static readonly string[] AlexNetClassifier =
    [
        "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias",
    ];

    private static readonly string[] AlexNetParameterOrder =
    [
        "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.6.weight", "features.6.bias",
        "features.8.weight", "features.8.bias", "features.10.weight", "features.10.bias", .. AlexNetClassifier,
    ];

    private static readonly int[] VggBatchNormIndices = [1, 4, 8, 11, 15, 18, 21, 24, 28, 31, 34, 37, 41, 44, 47, 50];

    // Derived by hand from the published code's zip(model.features.parameters(), model.features): parameter tensor i
    // of features (conv weight, conv bias, BN weight, BN bias per conv block; 64 tensors) trains when child module i
    // (conv, BN, ReLU per block, max-pool after blocks 2, 4, 8, 12, 16; 53 children) is a BatchNorm2d, i.e. for
    // i in {1, 4, 8, 11, 15, 18, 21, 24, 28, 31, 34, 37, 41, 44, 47, 50}; tensors 53..63 are never visited and keep
    // requires_grad = true; the classifier is never frozen.
    private static readonly string[] VggSeedCode =
    [
        "features.0.bias", // i = 1
        "features.3.weight", // i = 4
        "features.7.weight", // i = 8
        "features.8.bias", // i = 11
        "features.11.bias", // i = 15
        "features.15.weight", // i = 18
        "features.17.bias", // i = 21
        "features.20.weight", // i = 24
        "features.23.weight", // i = 28
        "features.24.bias", // i = 31
        "features.28.weight", // i = 34
        "features.30.bias", // i = 37
        "features.33.bias", // i = 41
        "features.36.weight", // i = 44
        "features.37.bias", // i = 47
        "features.41.weight", // i = 50
        "features.43.bias", // i = 53, beyond the 53 children
        "features.44.weight",
        "features.44.bias",
        "features.46.weight",
        "features.46.bias",
        "features.47.weight",
        "features.47.bias",
        "features.49.weight",
        "features.49.bias",
        "features.50.weight",
        "features.50.bias", // i = 63
        "classifier.0.weight",
        "classifier.0.bias",
        "classifier.3.weight",
        "classifier.3.bias",
        "classifier.6.weight",
        "classifier.6.bias",
    ];

    [Fact]
    public void PaperText_OnAlexNet_TrainsTheWholeClassifier() =>
        KnownFreezeStrategies.PaperText.SelectTrainable(models.AlexNet).Should().BeEquivalentTo(AlexNetClassifier);

    [Fact]
    public void SeedCode_OnAlexNet_TrainsEveryParameterAfterIndexSeven() =>
        KnownFreezeStrategies.SeedCode.SelectTrainable(models.AlexNet).Should().BeEquivalentTo(
            ["features.10.weight", "features.10.bias", .. AlexNetClassifier]);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(14)]
    [InlineData(16)]
    public void FreezeFirst_OnAlexNet_FreezesTheLeadingTensorsInParameterOrder(int k) =>
        KnownFreezeStrategies.FreezeFirst(k).SelectTrainable(models.AlexNet).Should().BeEquivalentTo(AlexNetParameterOrder.Skip(k));

    [Fact]
    public void FreezeIndex_OnAlexNet_FreezesTensorsZeroToJ_AndAlwaysTrainsTheHead()
    {
        string[] head = ["classifier.6.weight", "classifier.6.bias"];
        KnownFreezeStrategies.FreezeIndex(14).SelectTrainable(models.AlexNet).Should().BeEquivalentTo(head, "index 14 leaves only the head");
        KnownFreezeStrategies.FreezeIndex(15).SelectTrainable(models.AlexNet).Should().BeEquivalentTo(head, "the new head is never left at its random values");
        KnownFreezeStrategies.FreezeIndex(7).SelectTrainable(models.AlexNet).Should().BeEquivalentTo(
            KnownFreezeStrategies.SeedCode.SelectTrainable(models.AlexNet), "index 7 is the published code's transfer setting");
        KnownFreezeStrategies.FreezeIndex(0).SelectTrainable(models.AlexNet).Should().BeEquivalentTo(AlexNetParameterOrder.Skip(1));
        Action beyond = () => KnownFreezeStrategies.FreezeIndex(16).SelectTrainable(models.AlexNet);
        beyond.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*alexnet*0..15*16*");
    }

    [Fact]
    public void FreezeFirst_OnAlexNetWithSeven_TrainsFeatures8BiasOnward() =>
        KnownFreezeStrategies.FreezeFirst(7).SelectTrainable(models.AlexNet).Should().HaveCount(9)
            .And.Contain("features.8.bias").And.NotContain("features.8.weight");

    [Fact]
    public void FreezeFirst_BeyondTheParameterCount_ThrowsNamingTheCount()
    {
        Action act = () => KnownFreezeStrategies.FreezeFirst(17).SelectTrainable(models.AlexNet);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*alexnet*16*");
    }

    [Fact]
    public void PaperText_OnVgg_TrainsEveryBatchNormAndTheLastLayer() =>
        KnownFreezeStrategies.PaperText.SelectTrainable(models.Vgg19Bn).Should().BeEquivalentTo(
            VggBatchNormIndices.SelectMany(i => new[] { $"features.{i}.weight", $"features.{i}.bias" })
                .Append("classifier.6.weight").Append("classifier.6.bias"));

    [Fact]
    public void SeedCode_OnVgg_TrainsThePublishedCodesMisalignedMaskAndTheWholeClassifier() =>
        KnownFreezeStrategies.SeedCode.SelectTrainable(models.Vgg19Bn).Should().BeEquivalentTo(VggSeedCode);

    [Fact]
    public void PaperText_OnResNet152_TrainsAll155BatchNormsIncludingDownsampleAndFc()
    {
        IReadOnlySet<string> trainable = KnownFreezeStrategies.PaperText.SelectTrainable(models.ResNet152);

        trainable.Should().HaveCount(312)
            .And.Contain(["bn1.weight", "layer1.0.downsample.1.weight", "layer4.0.downsample.1.bias", "layer4.2.bn3.weight", "fc.weight", "fc.bias"])
            .And.NotContain(["conv1.weight", "layer1.0.downsample.0.weight"]);
    }

    [Fact]
    public void SeedCode_OnResNet152_TrainsNamesContainingBnAndFcButNotDownsample()
    {
        IReadOnlySet<string> trainable = KnownFreezeStrategies.SeedCode.SelectTrainable(models.ResNet152);

        trainable.Should().HaveCount(304)
            .And.Contain(["bn1.weight", "layer3.35.bn2.bias", "fc.weight", "fc.bias"])
            .And.NotContain(name => name.Contains("downsample", StringComparison.Ordinal));
    }

    [Fact]
    public void PaperTextAndSeedCode_OnGoogLeNet_BothTrainAll57BatchNormsAndFc()
    {
        IReadOnlySet<string> paper = KnownFreezeStrategies.PaperText.SelectTrainable(models.GoogLeNet);

        paper.Should().HaveCount(116).And.Contain(["conv1.bn.weight", "inception5b.branch4.1.bn.bias", "fc.weight", "fc.bias"]);
        KnownFreezeStrategies.SeedCode.SelectTrainable(models.GoogLeNet).Should().BeEquivalentTo(paper);
    }

    [Theory]
    [InlineData("alexnet", "classifier.6")]
    [InlineData("vgg19_bn", "classifier.6")]
    [InlineData("resnet152", "fc")]
    [InlineData("googlenet", "fc")]
    public void LinearProbe_OnPaperModel_TrainsOnlyTheHead(string name, string head) =>
        KnownFreezeStrategies.LinearProbe.SelectTrainable(models[name]).Should().BeEquivalentTo([head + ".weight", head + ".bias"]);

    [Theory]
    [InlineData("alexnet", 16)]
    [InlineData("vgg19_bn", 70)]
    [InlineData("resnet152", 467)]
    [InlineData("googlenet", 173)]
    public void Full_OnPaperModel_TrainsEveryParameterTensor(string name, int count) =>
        KnownFreezeStrategies.Full.SelectTrainable(models[name]).Should().HaveCount(count);
}
