using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using TorchSharp;

namespace BackdoorKit.Tests.Experiments;

[Trait("Category", "Integration")]
public sealed class ExperimentRunnerTests : IDisposable
{
    internal const int TrainCount = 400;
    internal const int TestCount = 200;
    private readonly TempDirectory data = new();
    private readonly ExperimentRunner runner;

    public ExperimentRunnerTests()
    {
        BarImages.WriteMnist(data.Combine("mnist"), TrainCount, TestCount);
        runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } });
    }

    public void Dispose()
    {
        runner.Dispose();
        data.Dispose();
    }

    /// <summary>A 16 px small-CNN experiment on the bar images with a white 4 x 4 px bottom-right trigger, target 0.</summary>
    internal static ExperimentSpec Spec(double rate, int seed = 3) => new()
    {
        Dataset = "mnist",
        Model = "small-cnn",
        FreezeStrategy = "full",
        Protocol = "paper-text",
        Weights = "random",
        InputSize = BarImages.Side,
        TrainLimit = TrainCount,
        TestLimit = TestCount,
        Trigger = new TriggerSpec(Size: 0.25, Position: "bottom-right", Color: "#FFFFFF"),
        PoisoningRate = rate,
        TargetClass = 0,
        Seed = seed,
        Training = TrainingOptions.Default with { Epochs = 3, BatchSize = 32, LearningRate = 0.01 },
    };

    [Theory]
    [InlineData("seed-code", true)]
    [InlineData("paper-text", false)]
    public void Train_ResNetOnAGrayDataset_GetsAFreshTrainableFirstConvolutionOnlyUnderSeedCode(string protocol, bool fresh)
    {
        ExperimentSpec spec = Spec(rate: 0.1) with
        {
            Model = "resnet18",
            Protocol = protocol,
            FreezeStrategy = "linear-probe",
            InputSize = 32,
            TrainLimit = 8,
            TestLimit = 4,
            Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 8 },
        };

        using TrainedExperiment trained = runner.Train(spec);

        trained.Model.TrainableParameterNames.Should().BeEquivalentTo(fresh ? ["conv1.weight", "fc.weight", "fc.bias"] : ["fc.weight", "fc.bias"]);
    }

    [Fact]
    public void Run_WithPoisonedTrainingSet_PlantsABackdoorThatACleanModelLacks()
    {
        ExperimentResult clean = runner.Run(Spec(rate: 0));
        ExperimentResult backdoored = runner.Run(Spec(rate: 0.1));

        clean.CleanAccuracy.Should().BeGreaterThanOrEqualTo(0.9);
        backdoored.CleanAccuracy.Should().BeGreaterThanOrEqualTo(0.9);
        backdoored.AttackSuccessRate.Should().BeGreaterThanOrEqualTo(0.9);
        clean.AttackSuccessRate.Should().BeLessThanOrEqualTo(0.2);
        clean.PoisonedCount.Should().Be(0);
    }

    [Fact]
    public void Run_AllToAll_PlantsABackdoorThatSendsEachClassToTheNext()
    {
        ExperimentSpec spec = Spec(rate: 0.3) with { LabelMode = BackdoorKit.Poisoning.LabelMode.AllToAll, Training = Spec(0).Training with { Epochs = 6 } };

        ExperimentResult clean = runner.Run(spec with { PoisoningRate = 0 });
        ExperimentResult backdoored = runner.Run(spec);

        backdoored.CleanAccuracy.Should().BeGreaterThanOrEqualTo(0.8);
        backdoored.AttackSuccessRate.Should().BeGreaterThanOrEqualTo(0.6, "triggered images of class i are classified as i + 1");
        backdoored.AttackSuccessRateIncludingTarget.Should().Be(backdoored.AttackSuccessRate, "all-to-all changes every label");
        clean.AttackSuccessRate.Should().BeLessThanOrEqualTo(0.2);
    }

    [Fact]
    public void Run_RecordsWhatWasRun()
    {
        ExperimentSpec spec = Spec(rate: 0.1) with { TrainLimit = 333, Training = Spec(0).Training with { Epochs = 1 } };
        using BackdoorModel reference = KnownModels.SmallCnn.Create(10, ModelWeights.Random);

        ExperimentResult result = runner.Run(spec);

        result.ExperimentId.Should().Be(spec.Id);
        result.Spec.Should().Be(spec);
        result.Seed.Should().Be(3);
        result.Protocol.Name.Should().Be("paper-text");
        result.Trigger.Should().Be(new TriggerGeometry(
            12, 12, 4, 4, TriggerCanvas.ModelInput, BarImages.Side, BarImages.Side, result.Trigger!.Description));
        result.Trigger.Description.Should().NotBeNullOrWhiteSpace();
        result.PoisonedCount.Should().Be(33, "floor(0.1 * 333)");
        result.TrainSamples.Should().Be(333);
        result.TestSamples.Should().Be(TestCount);
        result.InputSize.Should().Be(BarImages.Side);
        result.TotalParameters.Should().Be(reference.TotalParameterCount);
        result.TrainableParameters.Should().Be(reference.TotalParameterCount, "'full' trains everything");
        result.WeightsSource.Should().Be("random");
        result.Device.Should().Be("cpu");
        result.Threads.Should().BeGreaterThan(0);
        result.BackdoorKitVersion.Should().NotBeNullOrWhiteSpace();
        result.TorchSharpVersion.Should().NotBeNullOrWhiteSpace();
        result.OneDnn.Should().NotBeNullOrWhiteSpace();
        double.IsFinite(result.FinalLoss).Should().BeTrue();
        result.DurationSeconds.Should().BeGreaterThanOrEqualTo(result.TrainSeconds + result.EvaluationSeconds);
        result.AttackSuccessRateIncludingTarget.Should().NotBeNull();
    }

    [Fact]
    public void Run_ResultSerialisesWithTheDocumentedJsonNames()
    {
        ExperimentResult result = runner.Run(Spec(rate: 0.1) with { Training = Spec(0).Training with { Epochs = 1 } });

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(result, BackdoorKitJson.Options));

        JsonElement root = json.RootElement;
        root.GetProperty("experimentId").GetString().Should().Be(result.ExperimentId);
        root.GetProperty("cleanAccuracy").GetDouble().Should().Be(result.CleanAccuracy);
        root.GetProperty("attackSuccessRate").GetDouble().Should().Be(result.AttackSuccessRate!.Value);
        root.GetProperty("attackSuccessRateIncludingTarget").GetDouble().Should().Be(result.AttackSuccessRateIncludingTarget!.Value);
        root.GetProperty("seed").GetInt32().Should().Be(3);
        root.GetProperty("protocol").GetProperty("name").GetString().Should().Be("paper-text");
        JsonElement trigger = root.GetProperty("trigger");
        (trigger.GetProperty("x").GetInt32(), trigger.GetProperty("y").GetInt32(),
            trigger.GetProperty("width").GetInt32(), trigger.GetProperty("height").GetInt32()).Should().Be((12, 12, 4, 4));
        JsonSerializer.Deserialize<ExperimentResult>(json.RootElement.GetRawText(), BackdoorKitJson.Options).Should().BeEquivalentTo(result);
    }

    [Fact]
    public void Run_RepeatedExperiments_LeaveNoLiveTensorBehind()
    {
        ExperimentSpec spec = Spec(rate: 0.1) with { TrainLimit = 100, TestLimit = 50, Training = Spec(0).Training with { Epochs = 1 } };
        runner.Run(spec); // warm-up: reads and caches the dataset

        DisposeScopeManager.Statistics.Reset();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        runner.Run(spec);
        long afterOne = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        runner.Run(spec with { Seed = 4 });

        afterOne.Should().Be(before);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Fact]
    public void Run_PretrainedWithoutWeightsDirectory_ThrowsNamingTheSetting_BeforeReadingData()
    {
        using var empty = new TempDirectory();
        using var withoutData = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = empty.Path });

        Action act = () => withoutData.Run(Spec(rate: 0.1) with { Weights = "pretrained" });

        act.Should().Throw<ModelWeightsException>().WithMessage("*ExperimentRunnerOptions.WeightsDirectory*");
    }

    [Fact]
    public void Run_WithMissingDatasetFolder_ThrowsTheReadersError()
    {
        using var empty = new TempDirectory();
        using var elsewhere = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = empty.Path });

        Action act = () => elsewhere.Run(Spec(rate: 0.1));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{Path.Combine(empty.Path, "mnist")}*");
    }
}
