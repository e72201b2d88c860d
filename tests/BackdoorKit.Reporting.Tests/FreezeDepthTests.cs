namespace BackdoorKit.Reporting.Tests;

public sealed class FreezeDepthTests
{
    [Theory]
    [InlineData("freeze-index-14", "freeze-index", 14)]
    [InlineData("freeze-first-0", "freeze-first", 0)]
    [InlineData("train-last-2-stages", "train-last-stages", 2)]
    public void TryParse_AFreezeDepthStrategy_ReadsItsFamilyAndNumber(string strategy, string kind, int value)
    {
        FreezeDepth.TryParse(strategy, out FreezeDepth? depth).Should().BeTrue();

        depth.Should().Be(new FreezeDepth(kind, value));
    }

    [Theory]
    [InlineData("paper-text")]
    [InlineData("linear-probe")]
    [InlineData("freeze-index-")]
    [InlineData("freeze-index--1")]
    [InlineData("train-last-x-stages")]
    [InlineData("train-last-2")]
    public void TryParse_AnyOtherStrategy_BelongsToTheMainMatrix(string strategy)
    {
        FreezeDepth.TryParse(strategy, out FreezeDepth? depth).Should().BeFalse();

        depth.Should().BeNull();
    }
}
