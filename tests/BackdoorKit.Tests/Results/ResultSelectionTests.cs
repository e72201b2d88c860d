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

    private static ExperimentResult WithSpec(ExperimentResult result, Func<ExperimentSpec, ExperimentSpec> change)
    {
        ExperimentSpec spec = change(result.Spec);
        return result with { Spec = spec, ExperimentId = spec.Id };
    }
}
