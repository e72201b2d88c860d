using BackdoorKit.Experiments;
using BackdoorKit.Models.Freezing;

namespace BackdoorKit.Tests.Models.Freezing;

public sealed class KnownFreezeStrategiesTests
{
    [Theory]
    [InlineData("paper-text", "paper-text", false)]
    [InlineData("SEED-CODE", "seed-code", false)]
    [InlineData("linear-probe", "linear-probe", true)]
    [InlineData("full", "full", false)]
    [InlineData("freeze-first-0", "freeze-first-0", false)]
    [InlineData("Freeze-First-16", "freeze-first-16", false)]
    [InlineData("freeze-index-14", "freeze-index-14", false)]
    public void Get_KnownName_ReturnsTheStrategy(string name, string expected, bool batchNormEval)
    {
        IFreezeStrategy strategy = ComponentCatalog.Default.FreezeStrategies.Get(name);

        strategy.Name.Should().Be(expected);
        strategy.KeepsBatchNormInEvalMode.Should().Be(batchNormEval);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("freeze-first-")]
    [InlineData("freeze-first--1")]
    [InlineData("freeze-first-x")]
    [InlineData("freeze-index--2")]
    public void Get_UnknownName_ThrowsNamingTheValueAndTheAllowedNames(string name)
    {
        Action act = () => ComponentCatalog.Default.FreezeStrategies.Get(name);

        act.Should().Throw<ArgumentException>()
            .WithMessage($"*'{name}'*paper-text, seed-code, linear-probe, full, freeze-first-<k>*freeze-index-<j>*");
    }

    [Fact]
    public void FreezeFirst_Negative_Throws()
    {
        Action act = () => KnownFreezeStrategies.FreezeFirst(-1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }
}
