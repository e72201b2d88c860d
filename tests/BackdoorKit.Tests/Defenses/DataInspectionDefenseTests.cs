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
    public void OnACleanModel_NothingIsFlaggedBeyondTheStatedLevel()
    {
        ExperimentResult result = runner.Run(rate: 0);

        result.Metrics["spectral.tpr"].Should().Be(double.NaN, "there is nothing poisoned to find");
        result.Metrics["spectral.flagged"].Should().BeLessThanOrEqualTo(1.5 * 0.05, "1.5 eps of each class, eps assumed 5 %");
        result.Metrics["activation-clustering.classes-flagged"].Should().BeLessThanOrEqualTo(1);
    }
}
