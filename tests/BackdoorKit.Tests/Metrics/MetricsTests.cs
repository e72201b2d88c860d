using BackdoorKit.Metrics;

namespace BackdoorKit.Tests.Metrics;

public class MetricsTests
{
    // Target class 2. Clean: 4 of 5 right. Triggered: sources [2, 0, 1, 1, 0], predicted [2, 2, 2, 1, 0]:
    // excluding the target-class sample, 2 of 4 flipped to the target; including it, 3 of 5.
    private static readonly EvaluationOutcome Outcome = new(
        cleanLabels: [0, 1, 2, 2, 1],
        cleanPredictions: [0, 1, 2, 0, 1],
        triggeredSourceLabels: [2, 0, 1, 1, 0],
        triggeredPredictions: [2, 2, 2, 1, 0],
        targetClass: 2);

    [Fact]
    public void CleanAccuracy_CountsCorrectCleanPredictions() =>
        KnownMetrics.CleanAccuracy.Compute(Outcome).Should().Be(0.8);

    [Fact]
    public void AttackSuccessRate_ExcludesTargetClassSamples() =>
        KnownMetrics.AttackSuccessRate.Compute(Outcome).Should().Be(0.5);

    [Fact]
    public void AttackSuccessRateIncludingTarget_CountsEverySample() =>
        KnownMetrics.AttackSuccessRateIncludingTarget.Compute(Outcome).Should().Be(0.6);

    [Fact]
    public void AttackSuccessRate_WithOnlyTargetClassSamples_IsUndefined()
    {
        var outcome = new EvaluationOutcome([], [], [2, 2], [2, 2], targetClass: 2);

        KnownMetrics.AttackSuccessRate.Compute(outcome).Should().Be(double.NaN);
        KnownMetrics.AttackSuccessRateIncludingTarget.Compute(outcome).Should().Be(1.0);
    }

    [Fact]
    public void CleanAccuracyDrop_IsTheBaselineMeanMinusTheAccuracy()
    {
        CleanAccuracyDropMetric cad = KnownMetrics.CleanAccuracyDrop([0.9, 0.86]);

        cad.BaselineAccuracy.Should().BeApproximately(0.88, 1e-12);
        cad.Compute(Outcome).Should().BeApproximately(0.08, 1e-12);
    }

    [Fact]
    public void CleanAccuracyDrop_WithoutBaselinesOrWithRatesOutsideZeroToOne_Fails()
    {
        Action none = () => KnownMetrics.CleanAccuracyDrop([]);
        Action bad = () => KnownMetrics.CleanAccuracyDrop([0.9, 90]);

        none.Should().Throw<ArgumentException>().WithMessage("*baselineAccuracies*");
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*90*");
    }

    [Fact]
    public void EvaluationOutcome_WithMismatchedLengths_Fails()
    {
        Action act = () => _ = new EvaluationOutcome([1, 2], [1], [], [], 0);

        act.Should().Throw<ArgumentException>().WithMessage("*cleanPredictions*1*2*");
    }
}
