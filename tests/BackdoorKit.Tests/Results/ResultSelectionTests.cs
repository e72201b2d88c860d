using BackdoorKit.Experiments;
using BackdoorKit.Results;

namespace BackdoorKit.Tests.Results;

public class ResultSelectionTests
{
    [Fact]
    public void MostSuccessfulBackdoor_PrefersTheMainGrid_AndFallsBackToTheBlocks()
    {
        ExperimentResult main = SqliteResultStoreTests.Result(1, asr: 0.6);
        ExperimentResult block = WithSpec(SqliteResultStoreTests.Result(2, asr: 0.99), s => s with { Block = "freeze-depth" });

        ResultSelection.MostSuccessfulBackdoor([block, main]).Should().BeSameAs(main, "the main grid is the study; blocks answer side questions");
        ResultSelection.MostSuccessfulBackdoor([block]).Should().BeSameAs(block);
    }

    [Fact]
    public void CleanCounterpart_IsTheCleanModelOfTheSameBlock()
    {
        ExperimentResult backdoored = WithSpec(SqliteResultStoreTests.Result(1, asr: 0.6), s => s with { Block = "depth" });
        ExperimentResult mainClean = SqliteResultStoreTests.Result(1, asr: null);
        ExperimentResult blockClean = WithSpec(mainClean, s => s with { Block = "depth" });

        ResultSelection.CleanCounterpart([mainClean, blockClean], backdoored.Spec).Should().Be((blockClean.Spec, true));
        ResultSelection.CleanCounterpart([mainClean], backdoored.Spec).Should().Be((backdoored.Spec with { PoisoningRate = 0 }, false));
    }

    [Fact]
    public void NamedBackdoor_FindsTheResult_AndRefusesAnUnknownIdOrACleanExperiment()
    {
        ExperimentResult backdoored = SqliteResultStoreTests.Result(1, asr: 0.3);
        ExperimentResult clean = SqliteResultStoreTests.Result(1, asr: null);

        ResultSelection.NamedBackdoor([clean, backdoored], backdoored.ExperimentId).Should().BeSameAs(backdoored);
        ((Action)(() => ResultSelection.NamedBackdoor([clean, backdoored], clean.ExperimentId)))
            .Should().Throw<ArgumentException>().WithMessage($"'{clean.ExperimentId}' is a clean experiment*").Which.ParamName.Should().Be("experimentId");
        ((Action)(() => ResultSelection.NamedBackdoor([clean, backdoored], "0123456789abcdef")))
            .Should().Throw<ArgumentException>().WithMessage("no result with id '0123456789abcdef' in the study (2 results).*");
    }

    private static ExperimentResult WithSpec(ExperimentResult result, Func<ExperimentSpec, ExperimentSpec> change)
    {
        ExperimentSpec spec = change(result.Spec);
        return result with { Spec = spec, ExperimentId = spec.Id };
    }
}
