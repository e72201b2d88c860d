using BackdoorKit.Defenses;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Experiments;

namespace BackdoorKit.Tests.Defenses;

/// <summary>Spectral Signatures and Activation Clustering on a strong patch backdoor, where they are known to work, and on a clean model.</summary>
[Trait("Category", "Integration")]
public sealed class DataInspectionDefenseTests : IDisposable
{
    private readonly DefendedRunner runner = new(KnownDefenses.SpectralSignatures, KnownDefenses.ActivationClustering);

    public void Dispose() => runner.Dispose();

    [Fact]
    public void OnAStrongPatchBackdoor_BothFindThePoisonedRows()
    {
        ExperimentResult result = runner.Run(rate: 0.1);

        result.AttackSuccessRate.Should().BeGreaterThan(0.9);
        result.Metrics["spectral.auroc"].Should().BeGreaterThan(0.9, "poisoned rows stand out along the top singular direction");
        result.Metrics["spectral.tpr"].Should().BeGreaterThan(0.9, "1.5 eps of the target class is 1.5 times its poisoned rows");
        result.Metrics["activation-clustering.target-flagged"].Should().Be(1);
        result.Metrics["activation-clustering.tpr"].Should().BeGreaterThan(0.8);
        result.Metrics["activation-clustering.fpr"].Should().BeLessThan(0.1);
    }

    [Fact]
    public void Retraining_WithoutTheFlaggedRows_RemovesTheBackdoorAndKeepsCleanAccuracy()
    {
        using var retraining = new DefendedRunner(KnownDefenses.SpectralSignaturesRetrained);

        ExperimentResult result = retraining.Run(rate: 0.1);

        result.AttackSuccessRate.Should().BeGreaterThan(0.9);
        result.Metrics["spectral-retrain.tpr"].Should().BeGreaterThan(0.9);
        result.Metrics["spectral-retrain.retrained-asr"].Should().BeLessThan(0.3, "almost every poisoned row is gone");
        result.Metrics["spectral-retrain.retrained-clean-accuracy"].Should().BeGreaterThan(0.85);
    }

    [Fact]
    public void Retraining_OutsideARunner_SaysWhatIsMissing()
    {
        using var runner = new DefendedRunner();
        using TrainedExperiment trained = runner.Train(ExperimentRunnerTests.Spec(0.1));
        using BackdoorKit.Poisoning.PoisonedDataset training = trained.PoisonedTrainingSet();
        var context = new DefenseContext(
            trained.Model, trained.Test, trained.Transform, trained.Trigger, 0, 1, TorchSharp.torch.CPU, training);

        Action act = () => KnownDefenses.ActivationClusteringRetrained.Inspect(context);

        act.Should().Throw<InvalidOperationException>().WithMessage("activation-clustering-retrain trains the model again without the flagged rows, but the context cannot retrain*");
    }

    [Fact]
    public void OnACleanModel_NothingIsFlaggedBeyondTheStatedLevel()
    {
        ExperimentResult result = runner.Run(rate: 0);

        result.Metrics["spectral.tpr"].Should().Be(double.NaN, "there is nothing poisoned to find");
        result.Metrics["spectral.flagged"].Should().BeLessThanOrEqualTo(1.5 * 0.05, "1.5 eps of each class, eps assumed 5 %");
        result.Metrics["activation-clustering.classes-flagged"].Should().BeLessThanOrEqualTo(1);
    }
}
