using BackdoorKit.Experiments.Estimation;

namespace BackdoorKit.Tests.Experiments.Estimation;

public class StepCostTests
{
    [Fact]
    public void Fit_TwoBatchSizes_IsTheLineThroughThemAndPredictsTheRealBatch()
    {
        StepCost cost = StepCost.Fit([new StepTiming(2, 3, 0.3), new StepTiming(8, 3, 0.9)]);

        cost.FixedSeconds.Should().BeApproximately(0.1, 1e-12);
        cost.SecondsPerSample.Should().BeApproximately(0.1, 1e-12);
        cost.Seconds(32).Should().BeApproximately(3.3, 1e-12);
    }

    [Fact]
    public void Fit_ThreeBatchSizes_UsesTheTwoLargest()
    {
        StepCost cost = StepCost.Fit([new StepTiming(64, 1, 6.5), new StepTiming(2, 1, 5.0), new StepTiming(8, 1, 0.9)]);

        cost.SecondsPerSample.Should().BeApproximately(0.1, 1e-12);
        cost.Seconds(64).Should().BeApproximately(6.5, 1e-12);
    }

    [Fact]
    public void Fit_OneBatchSize_IsProportional()
    {
        StepCost cost = StepCost.Fit([new StepTiming(64, 2, 1.28)]);

        cost.FixedSeconds.Should().Be(0);
        cost.Seconds(32).Should().BeApproximately(0.64, 1e-12);
    }

    [Fact]
    public void Fit_LineWithANegativeFixedTime_FallsBackToProportionalThroughTheLargest()
    {
        StepCost cost = StepCost.Fit([new StepTiming(2, 1, 0.1), new StepTiming(8, 1, 1.0)]);

        cost.FixedSeconds.Should().Be(0);
        cost.Seconds(8).Should().BeApproximately(1.0, 1e-12);
        cost.Seconds(1).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Fit_OfNothingOrOfOneBatchSizeTwice_Fails()
    {
        Action empty = () => StepCost.Fit([]);
        Action twice = () => StepCost.Fit([new StepTiming(8, 1, 0.1), new StepTiming(8, 1, 0.2)]);

        empty.Should().Throw<ArgumentException>().WithMessage("*at least one*");
        twice.Should().Throw<ArgumentException>().WithMessage("*distinct batch sizes*8, 8*");
    }

    [Fact]
    public void Constructors_RejectValuesOutOfRange_NamingThem()
    {
        Action negative = () => _ = new StepCost(-1, 0.1);
        Action infinite = () => _ = new StepTiming(8, 1, double.PositiveInfinity);
        Action noSteps = () => _ = new StepTiming(8, 0, 0.1);

        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("fixedSeconds must be >= 0 and finite; got -1*");
        infinite.Should().Throw<ArgumentOutOfRangeException>().WithMessage("secondsPerStep must be positive and finite*");
        noSteps.Should().Throw<ArgumentOutOfRangeException>().WithMessage("steps must be >= 1; got 0*");
    }
}
