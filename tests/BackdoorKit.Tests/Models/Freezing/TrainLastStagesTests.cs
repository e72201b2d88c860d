using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using TorchSharp.Modules;

namespace BackdoorKit.Tests.Models.Freezing;

/// <summary><c>train-last-&lt;k&gt;-stages</c>: the last k stages and the head train, the prefix is frozen and stays in evaluation mode.</summary>
public sealed class TrainLastStagesTests
{
    [Theory]
    [InlineData(0, new string[0])]
    [InlineData(1, new[] { "layer4" })]
    [InlineData(2, new[] { "layer3", "layer4" })]
    [InlineData(4, new[] { "layer1", "layer2", "layer3", "layer4" })]
    public void Apply_OnTheCntkResNet_TrainsTheLastStagesAndTheHead(int k, string[] stages)
    {
        using BackdoorModel model = Create(KnownModels.ResNet18ImageNetCntk, KnownFreezeStrategies.TrainLastStages(k));

        model.TrainableParameterNames.Select(name => name.Split('.')[0]).Distinct().Should().Equal([.. stages, "fc"]);
        model.CountFrozenPrefixStages().Should().Be(5 - k, "the stem and layer1..layer(4-k) are frozen and evaluate");
    }

    [Fact]
    public void SetTrainingMode_KeepsThePrefixEvaluatingAndTrainsTheSuffix()
    {
        using BackdoorModel model = Create(KnownModels.ResNet18ImageNetCntk, ComponentCatalog.Default.FreezeStrategies.Get("train-last-1-stages"));

        model.SetTrainingMode(true);

        Modes(model, "bn1").Should().AllSatisfy(training => training.Should().BeFalse());
        Modes(model, "layer3").Should().AllSatisfy(training => training.Should().BeFalse());
        Modes(model, "layer4").Should().AllSatisfy(training => training.Should().BeTrue());
    }

    [Theory]
    [InlineData("paper-text")]
    [InlineData("full")]
    [InlineData("seed-code")]
    public void CountFrozenPrefixStages_WithTrainableOrTrainingBatchNormInTheStem_IsZero(string strategy)
    {
        using BackdoorModel model = Create(KnownModels.ResNet18ImageNetCntk, ComponentCatalog.Default.FreezeStrategies.Get(strategy));

        model.CountFrozenPrefixStages().Should().Be(0);
    }

    [Fact]
    public void CountFrozenPrefixStages_LinearProbe_CoversEverythingButTheHead()
    {
        using BackdoorModel model = Create(KnownModels.SmallCnn, KnownFreezeStrategies.LinearProbe);

        model.CountFrozenPrefixStages().Should().Be(3);
    }

    [Fact]
    public void Apply_MoreStagesThanTheModelHas_ThrowsNamingTheStages()
    {
        Action act = () => Create(KnownModels.SmallCnn, KnownFreezeStrategies.TrainLastStages(4)).Dispose();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*small-cnn has 3 stages (layer1, layer2, layer3)*");
    }

    [Fact]
    public void Apply_AFamilyWithoutStages_Throws()
    {
        Action act = () => Create(KnownModels.AlexNet, KnownFreezeStrategies.TrainLastStages(1)).Dispose();

        act.Should().Throw<ArgumentException>().WithMessage("*alexnet*no stages defined*");
    }

    [Theory]
    [InlineData("train-last-0-stages", 0)]
    [InlineData("Train-Last-3-Stages", 3)]
    public void Get_ParsesTheName(string name, int k)
    {
        ComponentCatalog.Default.FreezeStrategies.Get(name).Name.Should().Be($"train-last-{k}-stages");
    }

    [Theory]
    [InlineData("train-last--1-stages")]
    [InlineData("train-last-x-stages")]
    [InlineData("train-last-2")]
    public void Get_MalformedName_Throws(string name)
    {
        Action act = () => ComponentCatalog.Default.FreezeStrategies.Get(name);

        act.Should().Throw<ArgumentException>().WithMessage("*train-last-<k>-stages*");
    }

    private static BackdoorModel Create(IModelFactory architecture, IFreezeStrategy strategy) =>
        architecture.Create(10, ModelWeights.Random, new ModelOptions { FreezeStrategy = strategy });

    private static IEnumerable<bool> Modes(BackdoorModel model, string child)
    {
        TorchSharp.torch.nn.Module module = model.Module.named_children().Single(c => c.name == child).module;
        return module.modules().Prepend(module).OfType<BatchNorm>().Select(b => b.training);
    }
}
