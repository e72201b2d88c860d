using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Experiments;

[Trait("Category", "Integration")]
public sealed class SavedModelTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly TempDirectory models = new();
    private readonly ExperimentRunner runner;

    public SavedModelTests()
    {
        BarImages.WriteMnist(data.Combine("mnist"), ExperimentRunnerTests.TrainCount, ExperimentRunnerTests.TestCount);
        runner = new ExperimentRunner(new ExperimentRunnerOptions
        {
            DataRoot = data.Path,
            ModelsDirectory = models.Path,
            Compute = new ComputeOptions { Device = "cpu" },
        });
    }

    public void Dispose()
    {
        runner.Dispose();
        data.Dispose();
        models.Dispose();
    }

    [Fact]
    public void Run_WithAModelsDirectory_SavesTheModelUnderItsExperimentId()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with { Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 64 } };

        runner.Run(spec);

        File.Exists(Path.Combine(models.Path, spec.Id + ".safetensors")).Should().BeTrue();
    }

    [Fact]
    public void Restore_ASavedModel_GivesTheTrainedModelsLogitsAndMeasurements()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with { Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 32, LearningRate = 0.01 } };
        using TrainedExperiment trained = runner.Train(spec);
        string path = SavedModels.Save(trained, models.Path, "test");

        using TrainedExperiment restored = runner.Restore(spec, path);

        using Tensor input = trained.Transform.Normalize(trained.Transform.Resize(trained.Test.Images.narrow(0, 0, 16)));
        using Tensor expected = Logits(trained.Model, input);
        using Tensor actual = Logits(restored.Model, input);
        actual.allclose(expected, rtol: 0, atol: 0).Should().BeTrue("the restored model is the trained one, bit for bit");
        var evaluator = new ModelEvaluator(spec.Training, runner.Options.Compute);
        EvaluationOutcome before = evaluator.Evaluate(trained.Model, trained.Test, trained.Transform, trained.Trigger, spec.TargetClass);
        EvaluationOutcome after = evaluator.Evaluate(restored.Model, restored.Test, restored.Transform, restored.Trigger, spec.TargetClass);
        after.CleanPredictions.Should().Equal(before.CleanPredictions);
        after.TriggeredPredictions.Should().Equal(before.TriggeredPredictions);
        restored.Training.Should().Be(trained.Training with { Duration = TimeSpan.FromSeconds(trained.Training.Duration.TotalSeconds) });
    }

    [Fact]
    public void SavedModel_HoldsOnlyWhatTrainingChanged()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with
        {
            Model = "resnet18",
            FreezeStrategy = "train-last-1-stages",
            InputSize = 32,
            TrainLimit = 16,
            TestLimit = 8,
            Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 8 },
        };

        runner.Run(spec);
        using TrainedExperiment restored = runner.Restore(spec, ExperimentRunner.SavedModelPath(models.Path, spec.Id));

        IReadOnlyList<string> saved = restored.Model.TrainedStateNames;
        saved.Should().Contain(["fc.weight", "fc.bias", "layer4.0.bn1.weight", "layer4.0.bn1.running_mean", "layer4.1.bn2.num_batches_tracked"]);
        saved.Should().OnlyContain(n => n.StartsWith("fc.", StringComparison.Ordinal) || n.StartsWith("layer4.", StringComparison.Ordinal),
            "the stem and layers 1-3 are frozen and stay in evaluation mode");
        var tensors = restored.Model.Module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(restored.Model.Module.named_buffers()).ToDictionary(t => t.Item1, t => t.Item2);
        long savedBytes = saved.Sum(n => tensors[n].numel() * tensors[n].ElementSize);
        long allBytes = tensors.Values.Sum(t => t.numel() * t.ElementSize);
        new FileInfo(ExperimentRunner.SavedModelPath(models.Path, spec.Id)).Length.Should()
            .BeInRange(savedBytes, savedBytes + 65_536, "the file holds the saved tensors and a header")
            .And.BeLessThan(allBytes - (10 * 1024 * 1024), "the frozen stem and layers 1-3 (over 10 MB) are not copied");
    }

    [Fact]
    public void Restore_AnotherExperimentsFile_ThrowsNamingBothExperiments()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with { Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 64 } };
        runner.Run(spec);
        ExperimentSpec other = spec with { Seed = 99 };

        Action act = () => runner.Restore(other, ExperimentRunner.SavedModelPath(models.Path, spec.Id)).Dispose();

        act.Should().Throw<ModelWeightsException>().WithMessage($"*holds experiment '{spec.Id}', not {other.Id}*");
    }

    [Fact]
    public void Restore_TruncatedFile_ThrowsNamingTheFile()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with { Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 64 } };
        runner.Run(spec);
        string path = ExperimentRunner.SavedModelPath(models.Path, spec.Id);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        Action act = () => runner.Restore(spec, path).Dispose();

        act.Should().Throw<ModelWeightsException>().WithMessage($"*{path}*");
    }

    private static Tensor Logits(BackdoorModel model, Tensor input)
    {
        using var noGrad = no_grad();
        model.SetTrainingMode(false);
        return model.Forward(input);
    }
}
