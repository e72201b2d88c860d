using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

/// <summary>An experiment with resnet18-imagenet-cntk gets the packaged weights and the package's preprocessing by itself.</summary>
[Trait("Category", "Integration")]
public sealed class CntkResNet18ExperimentTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly ExperimentRunner runner;

    public CntkResNet18ExperimentTests()
    {
        BarImages.WriteMnist(data.Combine("mnist"), 16, 8);
        runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } });
    }

    public void Dispose()
    {
        runner.Dispose();
        data.Dispose();
    }

    [Fact]
    public void Train_PretrainedWithoutAWeightsDirectory_UsesThePackagedWeightsAndMeanImagePreprocessing()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with
        {
            Model = "resnet18-imagenet-cntk",
            Weights = "pretrained",
            FreezeStrategy = "paper-text",
            InputSize = 32,
            TrainLimit = 8,
            TestLimit = 4,
            Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 8 },
        };

        runner.CheckInputs([spec]);
        using TrainedExperiment trained = runner.Train(spec);

        trained.Model.WeightsSource.Should().StartWith("nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1/ResNet18.onnx#sha256:");
        trained.Transform.MeanImage.Should().NotBeNull();
        trained.Transform.MeanImage!.ReversesChannels.Should().BeTrue();
        trained.Model.TrainableParameterNames.Should().HaveCount(46);
    }
}
