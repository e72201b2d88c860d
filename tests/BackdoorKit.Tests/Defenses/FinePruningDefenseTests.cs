using BackdoorKit.Defenses;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Defenses;

/// <summary>Fine-Pruning: prunes within its accuracy budget, reports the backdoor that is left, and hands the model back unchanged.</summary>
[Trait("Category", "Integration")]
public sealed class FinePruningDefenseTests : IDisposable
{
    private readonly DefendedRunner runner = new(KnownDefenses.FinePruning);

    public void Dispose() => runner.Dispose();

    [Fact]
    public void OnAStrongPatchBackdoor_PrunesWithinTheAccuracyBudgetAndMeasuresWhatIsLeft()
    {
        ExperimentResult result = runner.Run(rate: 0.1);

        result.Metrics["fine-pruning.asr-before"].Should().BeApproximately(result.AttackSuccessRate!.Value, 0.1, "measured on half the same test set");
        result.Metrics["fine-pruning.pruned"].Should().BeInRange(0.05, 1);
        result.Metrics["fine-pruning.clean-accuracy"].Should().BeGreaterThan(result.Metrics["fine-pruning.clean-accuracy-before"] - 0.1);
        result.Metrics["fine-pruning.asr"].Should().BeInRange(0, 1);
    }

    [Fact]
    public void Inspect_LeavesTheModelAsItFoundIt()
    {
        using var data = new TempDirectory();
        BarImages.WriteMnist(data.Combine("mnist"), ExperimentRunnerTests.TrainCount, ExperimentRunnerTests.TestCount);
        using var plain = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } });
        using TrainedExperiment trained = plain.Train(ExperimentRunnerTests.Spec(rate: 0.1));
        using Tensor input = trained.Transform.Normalize(trained.Transform.Resize(trained.Test.Images.narrow(0, 0, 8)));
        using Tensor before = Logits(trained, input);
        IReadOnlyList<string> trainable = trained.Model.TrainableParameterNames;

        KnownDefenses.FinePruning.Inspect(new DefenseContext(trained.Model, trained.Test, trained.Transform, trained.Trigger, 0, 1, CPU));

        using Tensor after = Logits(trained, input);
        after.allclose(before, rtol: 0, atol: 0).Should().BeTrue("pruning masks and fine-tuned weights are undone");
        trained.Model.TrainableParameterNames.Should().Equal(trainable);
    }

    private static Tensor Logits(TrainedExperiment trained, Tensor input)
    {
        using var noGrad = no_grad();
        trained.Model.SetTrainingMode(false);
        return trained.Model.Forward(input);
    }
}
