using BackdoorKit.Defenses;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Experiments;

namespace BackdoorKit.Tests.Defenses;

/// <summary>STRIP on the case where it is known to work (a strong corner patch) and on a clean model.</summary>
[Trait("Category", "Integration")]
public sealed class StripDefenseTests : IDisposable
{
    private readonly DefendedRunner runner = new(new StripDefense(new StripOptions { Overlays = 16, Inputs = 100 }));

    public void Dispose() => runner.Dispose();

    [Fact]
    public void Strip_OnAStrongPatchBackdoor_SeparatesTriggeredFromCleanInputs()
    {
        ExperimentResult result = runner.Run(rate: 0.1);

        result.AttackSuccessRate.Should().BeGreaterThan(0.9, "the backdoor is strong");
        result.Metrics["strip.auroc"].Should().BeGreaterThan(0.9);
        result.Metrics["strip.far"].Should().BeLessThan(0.5);
        result.Metrics["strip.frr"].Should().BeLessThanOrEqualTo(0.01);
        result.Metrics["strip.triggered"].Should().BeLessThan(result.Metrics["strip.clean"], "triggered inputs keep their prediction under superimposition");
    }

    [Fact]
    public void Strip_OnACleanModel_FindsNothingToSeparate()
    {
        ExperimentResult result = runner.Run(rate: 0);

        result.AttackSuccessRate.Should().BeLessThan(0.2);
        result.Metrics["strip.auroc"].Should().BeInRange(0.2, 0.8);
        result.Metrics["strip.far"].Should().BeGreaterThan(0.8, "at a 1 % false rejection rate nearly every triggered input passes");
    }

    [Fact]
    public void Strip_WithoutATrigger_MeasuresCleanEntropyOnly()
    {
        ExperimentResult result = runner.Run(ExperimentRunnerTests.Spec(rate: 0) with { Trigger = null });

        result.Metrics["strip.clean"].Should().BeGreaterThan(0);
        result.Metrics["strip.auroc"].Should().Be(double.NaN);
    }
}
