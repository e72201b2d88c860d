using BackdoorKit.Defenses;
using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Defenses;

/// <summary>Neural Cleanse on a strong corner patch, where its reverse-engineered trigger should be small and on the patch, and on a clean model.</summary>
[Trait("Category", "Integration")]
public sealed class NeuralCleanseDefenseTests : IDisposable
{
    private readonly DefendedRunner runner = new(KnownDefenses.NeuralCleanse);

    public void Dispose() => runner.Dispose();

    [Fact]
    public void OnAStrongPatchBackdoor_RecoversASmallMaskOnTheTrigger()
    {
        ExperimentResult result = runner.Run(rate: 0.1);

        result.AttackSuccessRate.Should().BeGreaterThan(0.9);
        result.Metrics["neural-cleanse.target-mask-l1"].Should().BeLessThan(result.Metrics["neural-cleanse.median-mask-l1"] / 2);
        result.Metrics["neural-cleanse.anomaly-index"].Should().BeGreaterThan(0, "the target's mask is below the median");
        result.Metrics["neural-cleanse.mask-in-trigger"].Should().BeGreaterThan(0.2, "the real 4 x 4 patch is 6 % of the image");
    }

    [Fact]
    public void OnACleanModel_DoesNotFlagTheTarget()
    {
        ExperimentResult result = runner.Run(rate: 0);

        result.Metrics["neural-cleanse.target-flagged"].Should().Be(0, $"anomaly index {result.Metrics["neural-cleanse.anomaly-index"]:F2}");
        result.Metrics["neural-cleanse.mask-in-trigger"].Should().BeLessThan(0.2);
    }
}
