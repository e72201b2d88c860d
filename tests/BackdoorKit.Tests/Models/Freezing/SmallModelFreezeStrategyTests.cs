using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using TorchSharp;
using TorchSharp.Modules;

namespace BackdoorKit.Tests.Models.Freezing;

public sealed class SmallModelFreezeStrategyTests
{
    private static readonly string[] SmallCnnBatchNormsAndHead =
    [
        "layer1.bn.weight", "layer1.bn.bias", "layer2.bn.weight", "layer2.bn.bias", "layer3.bn.weight", "layer3.bn.bias", "fc.weight", "fc.bias",
    ];

    [Theory]
    [InlineData("paper-text")]
    [InlineData("seed-code")]
    public void SelectTrainable_OnSmallCnn_TrainsBatchNormsAndHead(string strategy)
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);

        ComponentCatalog.Default.FreezeStrategies.Get(strategy).SelectTrainable(model).Should().BeEquivalentTo(SmallCnnBatchNormsAndHead);
    }

    [Fact]
    public void SelectTrainable_OnSmallCnnWithFreezeFirst3_TrainsFromTheSecondConvOn()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);

        KnownFreezeStrategies.FreezeFirst(3).SelectTrainable(model).Should().BeEquivalentTo(
            ["layer2.conv.weight", "layer2.bn.weight", "layer2.bn.bias", "layer3.conv.weight", "layer3.bn.weight", "layer3.bn.bias", "fc.weight", "fc.bias"]);
    }

    [Fact]
    public void SelectTrainable_OnResNet18_PaperTextIncludesDownsampleBatchNormAndSeedCodeDoesNot()
    {
        using BackdoorModel model = KnownModels.ResNet18.Create(10, ModelWeights.Random);

        IReadOnlySet<string> paper = KnownFreezeStrategies.PaperText.SelectTrainable(model);
        IReadOnlySet<string> seed = KnownFreezeStrategies.SeedCode.SelectTrainable(model);

        paper.Should().HaveCount(42).And.Contain(["layer2.0.downsample.1.weight", "layer2.0.downsample.1.bias", "fc.weight"]);
        seed.Should().HaveCount(36).And.Contain(["layer1.0.bn1.weight", "fc.bias"]).And.NotContain("layer2.0.downsample.1.weight");
        paper.Except(seed).Should().OnlyContain(name => name.Contains("downsample.1", StringComparison.Ordinal));
    }

    [Fact]
    public void ApplyFreezeStrategy_WithLinearProbe_LeavesOnlyTheHeadRequiringGradients()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);

        model.ApplyFreezeStrategy(KnownFreezeStrategies.LinearProbe);

        model.FreezeStrategy.Name.Should().Be("linear-probe");
        model.TrainableParameterNames.Should().Equal("fc.weight", "fc.bias");
        model.GetTrainableParameters().Should().HaveCount(2);
        model.TrainableParameterCount.Should().Be((64 * 4 * 4 * 5) + 5); // 64 channels pooled to 4 x 4, 5 classes
        model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Should().Equal("fc.weight", "fc.bias");
        model.TotalParameterCount.Should().BeGreaterThan(model.TrainableParameterCount);
    }

    [Fact]
    public void Create_WithFreezeStrategyOption_AppliesIt()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(
            5, ModelWeights.Random, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.PaperText });

        model.FreezeStrategy.Should().BeSameAs(KnownFreezeStrategies.PaperText);
        model.TrainableParameterNames.Should().BeEquivalentTo(SmallCnnBatchNormsAndHead);
    }

    [Fact]
    public void Create_WithoutFreezeStrategy_TrainsEverything()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);

        model.FreezeStrategy.Name.Should().Be("full");
        model.TrainableParameterCount.Should().Be(model.TotalParameterCount);
    }

    [Fact]
    public void SetTrainingMode_WithLinearProbe_KeepsBatchNormStatisticsFixed()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);
        model.ApplyFreezeStrategy(KnownFreezeStrategies.LinearProbe);
        using var scope = torch.NewDisposeScope();
        torch.Tensor before = model.Module.state_dict()["layer1.bn.running_mean"].clone();

        model.SetTrainingMode(true);
        model.Forward(torch.rand(4, 3, 16, 16) + 1);

        model.Module.training.Should().BeTrue();
        model.Module.modules().OfType<BatchNorm>().Should().OnlyContain(bn => !bn.training);
        model.Module.state_dict()["layer1.bn.running_mean"].Equals(before).Should().BeTrue();
    }

    [Fact]
    public void SetTrainingMode_WithPaperText_UpdatesBatchNormStatistics()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);
        model.ApplyFreezeStrategy(KnownFreezeStrategies.PaperText);
        using var scope = torch.NewDisposeScope();
        torch.Tensor before = model.Module.state_dict()["layer1.bn.running_mean"].clone();

        model.SetTrainingMode(true);
        model.Forward(torch.rand(4, 3, 16, 16) + 1);

        model.Module.modules().OfType<BatchNorm>().Should().OnlyContain(bn => bn.training);
        model.Module.state_dict()["layer1.bn.running_mean"].Equals(before).Should().BeFalse();
    }

    [Fact]
    public void SetTrainingMode_False_PutsEveryModuleInEvaluationMode()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);
        model.SetTrainingMode(true);

        model.SetTrainingMode(false);

        model.Module.modules().Should().OnlyContain(m => !m.training);
    }

    [Fact]
    public void ApplyFreezeStrategy_SelectingAnUnknownName_ThrowsNamingIt()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(5, ModelWeights.Random);

        Action act = () => model.ApplyFreezeStrategy(new UnknownNameStrategy());

        act.Should().Throw<InvalidOperationException>().WithMessage("*broken*head.weight*");
    }

    private sealed class UnknownNameStrategy : IFreezeStrategy
    {
        public string Name => "broken";

        public bool KeepsBatchNormInEvalMode => false;

        public IReadOnlySet<string> SelectTrainable(BackdoorModel model) => new HashSet<string> { "head.weight" };
    }
}
