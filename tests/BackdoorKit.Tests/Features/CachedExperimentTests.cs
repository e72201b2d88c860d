using BackdoorKit.Experiments;
using BackdoorKit.Features;
using BackdoorKit.Models;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Features;

/// <summary>
/// Experiments trained on cached frozen-prefix outputs give what recomputing the whole network gives: the same logits
/// (within 1e-6), clean accuracy and ASR; strategies without a frozen evaluation-mode prefix never use the cache.
/// Runs alone: model creation seeds torch's global generator, which tests running in parallel would draw from.
/// </summary>
[Trait("Category", "Integration")]
[Collection(GlobalTorchStateCollection.Name)]
public sealed class CachedExperimentTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly ExperimentRunner cached;
    private readonly ExperimentRunner recomputing;

    public CachedExperimentTests()
    {
        BarImages.WriteMnist(data.Combine("mnist"), 48, 24);
        var options = new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } };
        cached = new ExperimentRunner(options);
        recomputing = new ExperimentRunner(options with { FeatureCache = FeatureCacheOptions.Off });
    }

    public void Dispose()
    {
        cached.Dispose();
        recomputing.Dispose();
        data.Dispose();
    }

    [Theory]
    [InlineData("linear-probe")]
    [InlineData("train-last-1-stages")]
    public void Run_OnCachedFeatures_EqualsRecomputingTheWholeNetwork(string strategy)
    {
        ExperimentSpec spec = Spec(strategy);

        ExperimentResult first = cached.Run(spec);
        ExperimentResult second = cached.Run(spec);
        ExperimentResult reference = recomputing.Run(spec);

        (first.FeatureCache, second.FeatureCache, reference.FeatureCache).Should().Be(("miss", "hit", "off"));
        second.CleanAccuracy.Should().Be(reference.CleanAccuracy);
        second.AttackSuccessRate.Should().Be(reference.AttackSuccessRate);
        second.FinalLoss.Should().BeApproximately(reference.FinalLoss, 1e-6);
    }

    [Theory]
    [InlineData("linear-probe")]
    [InlineData("train-last-1-stages")]
    public void Train_OnCachedFeatures_GivesTheLogitsOfRecomputation(string strategy)
    {
        ExperimentSpec spec = Spec(strategy);
        using TrainedExperiment fast = cached.Train(spec);
        using TrainedExperiment slow = recomputing.Train(spec);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        Tensor inputs = fast.Transform.Apply(fast.Test.Images);
        Tensor difference = fast.Model.Forward(inputs).sub(slow.Model.Forward(inputs)).abs().max();

        fast.FeatureCache.Should().Be(FeatureCacheStatus.Miss);
        difference.item<float>().Should().BeLessThanOrEqualTo(1e-6f);
    }

    [Theory]
    [InlineData("paper-text", 5)]
    [InlineData("freeze-index-5", 3)]
    public void Run_AlexNetWithFrozenConvolutions_CachesThem_AndEqualsRecomputing(string strategy, int cachedStages)
    {
        ExperimentSpec spec = Spec(strategy) with { Model = "alexnet", Weights = "random", InputSize = 64 };
        spec = spec with { Training = spec.Training with { LearningRate = 1e-4 } };
        using (BackdoorModel model = KnownModels.AlexNet.Create(10, ModelWeights.Random, new ModelOptions { FreezeStrategy = ComponentCatalog.Default.FreezeStrategies.Get(strategy) }))
        {
            model.CountFrozenPrefixStages().Should().Be(cachedStages, "paper-text freezes all five convolutions, freeze-index-5 the first three");
        }

        ExperimentResult first = cached.Run(spec);
        ExperimentResult second = cached.Run(spec);
        ExperimentResult reference = recomputing.Run(spec);

        (first.FeatureCache, second.FeatureCache, reference.FeatureCache).Should().Be(("miss", "hit", "off"));
        second.CleanAccuracy.Should().Be(reference.CleanAccuracy);
        second.AttackSuccessRate.Should().Be(reference.AttackSuccessRate);
        second.FinalLoss.Should().BeApproximately(reference.FinalLoss, 1e-5 * Math.Abs(reference.FinalLoss), "the cached convolutions ran in other batches, so float rounding differs");
    }

    [Fact]
    public void Run_WaNetWithNoiseImages_OnCachedFeatures_EqualsRecomputing()
    {
        ExperimentSpec spec = Spec("linear-probe") with
        {
            Trigger = new TriggerSpec(0.5, "middle", "#FFFFFF") { Family = "wanet" },
            Poisoner = "wanet-noise",
            PoisoningRate = 0.125,
        };

        ExperimentResult first = cached.Run(spec);
        ExperimentResult second = cached.Run(spec);
        ExperimentResult reference = recomputing.Run(spec);

        (first.FeatureCache, second.FeatureCache).Should().Be(("miss", "hit"));
        second.AttackSuccessRate.Should().Be(reference.AttackSuccessRate);
        second.FinalLoss.Should().BeApproximately(reference.FinalLoss, 1e-6, "the noise images are served from their own cached table");
    }

    [Theory]
    [InlineData("paper-text")]
    [InlineData("full")]
    public void Run_WithoutAFrozenEvaluationModePrefix_RunsTheWholeNetwork(string strategy)
    {
        ExperimentResult result = cached.Run(Spec(strategy));

        result.FeatureCache.Should().Be("not-cacheable");
        cached.FeatureCache.Count.Should().Be(0);
    }

    [Fact]
    public void Run_RepeatedCachedExperiments_LeaveNoLiveTensorBehind()
    {
        ExperimentSpec spec = Spec("linear-probe");
        cached.Run(spec); // warm-up: reads the dataset, loads the weights, fills the cache
        cached.Run(spec with { Seed = 4 });

        DisposeScopeManager.Statistics.Reset();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        cached.Run(spec);
        long afterOne = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        cached.Run(spec with { Seed = 4 });

        afterOne.Should().Be(before);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    private static ExperimentSpec Spec(string strategy) => ExperimentRunnerTests.Spec(rate: 0.1) with
    {
        Model = "resnet18-imagenet-cntk",
        Weights = "pretrained",
        FreezeStrategy = strategy,
        InputSize = 32,
        TrainLimit = 48,
        TestLimit = 24,
        Training = TrainingOptions.Default with { Epochs = 2, BatchSize = 16, LearningRate = 0.01, EvaluationBatchSize = 20 },
    };
}
