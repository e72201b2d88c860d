using BackdoorKit.Defenses;

namespace BackdoorKit.Tests.Defenses;

public class RocTests
{
    [Theory]
    [InlineData(new[] { 3.0, 4.0 }, new[] { 1.0, 2.0 }, 1.0)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, 0.0)]
    [InlineData(new[] { 1.0, 1.0 }, new[] { 1.0, 1.0 }, 0.5)]
    [InlineData(new[] { 2.0, 5.0 }, new[] { 1.0, 3.0, 5.0 }, 3.5 / 6)]
    public void Auroc_CountsPairsWherePositivesScoreHigher_TiesHalf(double[] positives, double[] negatives, double expected)
    {
        Roc.Auroc(positives, negatives).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Auroc_WithoutPositivesOrNegatives_IsNaN()
    {
        Roc.Auroc([], [1.0]).Should().Be(double.NaN);
        Roc.Auroc([1.0], []).Should().Be(double.NaN);
    }
}
