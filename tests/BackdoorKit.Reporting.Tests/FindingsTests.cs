using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Findings;
using BackdoorKit.Reporting.Importance;

namespace BackdoorKit.Reporting.Tests;

public class FindingsTests
{
    [Fact]
    public void Evaluate_GivesSixFindingsAndSaysWhatTheMatrixCannotAddress()
    {
        // Every model pretrained (the specs' default): nothing to compare from scratch.
        var results = SyntheticResults.Grid(s => s.Trigger!.Size * 10);

        IReadOnlyList<FindingEvidence> findings = Evaluate(results);

        findings.Select(f => f.Number).Should().Equal(1, 2, 3, 4, 5, 6);
        findings[0].Addressed.Should().BeFalse();
        findings[0].Reading.Should().Be("Not addressed: the study has only transfer-learning (pretrained) models and no setting run both ways, so it cannot compare the two.");
        findings[0].Numbers.Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_FromScratchAgainstPretrained_ComparesWithinTheSameModels()
    {
        var results = SyntheticResults.Grid(_ => 0.4);
        results.AddRange(SyntheticResults.Grid(_ => 0.9).Select(r => r with { Spec = r.Spec with { Weights = "random" }, ExperimentId = r.ExperimentId + "-scratch" }));

        FindingEvidence scratch = Evaluate(results)[0];

        scratch.Addressed.Should().BeTrue();
        scratch.Numbers.Should().HaveCount(4);
        scratch.Numbers[0].Should().Be("main grid: mean ASR from scratch 90.0 % (480 models), with transfer learning 40.0 % (480 models)");
        scratch.Numbers[1].Should().StartWith("240 setting(s) run both ways").And.EndWith(": mean ASR from scratch 90.0 % (480 models), with transfer learning 40.0 % (480 models)");
        scratch.Numbers[2].Should().Be("with transfer learning by freeze strategy: paper-text 40.0 %");
        scratch.Reading.Should().Be("Mean ASR within the settings run both ways is higher from scratch than with transfer learning (+50.00 points).");
    }

    [Fact]
    public void Evaluate_FromScratchBlockAgainstFreezeDepthBlock_ComparesTheSameSettingAtEveryDepth()
    {
        // The quick preset's design: a pretrained main grid, plus one setting at train-last-0..2-stages (block
        // freeze-depth) and from scratch (block from-scratch); another trigger from scratch has no transfer twin.
        var results = SyntheticResults.Grid(_ => 0.4);
        ExperimentSpec setting = SyntheticResults.Spec("resnet152", 0.08, "bottom-right", "#FFFFFF", 0.02, 0) with { InputSize = 32, TrainLimit = 2048 };
        results.AddRange(Enumerable.Range(0, 3).Select(k => SyntheticResults.Result(
            setting with { Block = "freeze-depth", FreezeStrategy = $"train-last-{2 - k}-stages" }, 0.95, 0.3 * (2 - k))));
        results.Add(SyntheticResults.Result(setting with { Block = "from-scratch", FreezeStrategy = "full", Weights = "random" }, 0.9, 0.9));
        results.Add(SyntheticResults.Result(setting with { Block = "from-scratch", FreezeStrategy = "full", Weights = "random", PoisoningRate = 0.01 }, 0.9, 0.1));

        FindingEvidence scratch = Evaluate(results)[0];

        scratch.Addressed.Should().BeTrue();
        scratch.Numbers.Should().Equal(
            "1 setting(s) run both ways (same dataset, model, input size, data, training, trigger and rate): mean ASR from scratch 90.0 % (1 models), with transfer learning 30.0 % (3 models)",
            "with transfer learning by freeze strategy: train-last-0-stages 0.0 %, train-last-1-stages 30.0 %, train-last-2-stages 60.0 %",
            "clean accuracy in those settings: from scratch 90.0 %, with transfer learning 95.0 %");
        scratch.Reading.Should().Be("Mean ASR within the settings run both ways is higher from scratch than with transfer learning (+60.00 points).");
        Evaluate(results)[5].Should().BeEquivalentTo(Evaluate(SyntheticResults.Grid(_ => 0.4))[5], "the blocks stay out of the main grid's findings");
    }

    [Fact]
    public void Evaluate_Clean_accuracy_drop_ReportsCadByRateAndCountsRisingRows()
    {
        // alexnet loses accuracy with eps; resnet152 gains it.
        var results = SyntheticResults.Grid(_ => 0.5, s => s.Model == "alexnet" ? 0.99 - s.PoisoningRate : 0.99 + (s.PoisoningRate / 10));

        FindingEvidence cad = Evaluate(results)[1];

        cad.Numbers.Should().Contain("mnist/alexnet (clean 99.0 %): CAD eps 0.5 % +0.50 points, eps 1 % +1.00 points, eps 1.5 % +1.50 points, eps 2 % +2.00 points");
        cad.Reading.Should().StartWith("CAD at the largest eps exceeds CAD at the smallest in 1 of 2 dataset/model rows");
    }

    [Fact]
    public void Evaluate_ModelSize_OrdersModelsByParametersAndDoesNotClaimATrendItDoesNotSee()
    {
        // The larger model (resnet152) is the less vulnerable one here.
        var results = SyntheticResults.Grid(s => s.Model == "alexnet" ? 0.9 : 0.2)
            .Select(r => r with { TotalParameters = r.Spec.Model == "alexnet" ? 61_000_000 : 60_000_000 * 2 }).ToList();

        FindingEvidence size = Evaluate(results)[2];

        size.Numbers.Should().Equal("mnist, by total parameters: alexnet (61,000,000) 90.0 %, resnet152 (120,000,000) 20.0 %");
        size.Reading.Should().Be("The model with the most parameters has a higher mean ASR than every other model in 0 of 1 datasets.");
    }

    [Fact]
    public void Evaluate_Placement_ComparesOnlyCommonCellsOfUnbalancedBlocks()
    {
        // In the quick blocks bottom-right also has small sizes (low ASR): a plain mean would rank it last.
        var results = SyntheticResults.QuickBlocks(s => s.Trigger!.Size < 0.08
            ? 0
            : (s.Trigger.Position == "bottom-right" ? 0.9 : s.Trigger.Position == "middle" ? 0.2 : 0.5) + (s.Trigger.Color == "#FFFFFF" ? 0.05 : 0));

        IReadOnlyList<FindingEvidence> findings = Evaluate(results);

        findings[3].Numbers.Should().ContainSingle().Which.Should().StartWith("mnist/small-cnn: best bottom-right white 95.0 %, worst middle black 20.0 % (size 8 %, eps 2 %)");
        findings[3].Reading.Should().Be("One dataset and model only: universality cannot be tested.");
        findings[3].Addressed.Should().BeFalse();
        findings[4].Numbers[0].Should().StartWith("mnist/small-cnn: bottom-right 92.5 %, bottom-left 52.5 %");
        findings[4].Reading.Should().StartWith("Mean ASR differs by up to 70.00 points between positions");
    }

    [Fact]
    public void Evaluate_WhenEveryPlacementTies_NamesNoSingleBestAndNoLargerModel()
    {
        var results = SyntheticResults.Grid(_ => 0.6);

        IReadOnlyList<FindingEvidence> findings = Evaluate(results);

        findings[2].Reading.Should().Be("Not addressed: no dataset has one model with more parameters than every other.");
        findings[3].Numbers.Should().Equal(
            "mnist/alexnet: all 10 positions and colors tie at 60.0 % (mean over 12 common size x rate cells)",
            "mnist/resnet152: all 10 positions and colors tie at 60.0 % (mean over 12 common size x rate cells)");
        findings[3].Reading.Should().StartWith("10 positions and colors (bottom-left black, ").And.EndWith(") are among the best in all 2 dataset/model rows.");
    }

    [Fact]
    public void Evaluate_WhenTheBestPlacementDiffersByModel_SaysNoneIsBestEverywhere()
    {
        var results = SyntheticResults.Grid(s => (s.Model == "alexnet") == (s.Trigger!.Position == "middle") ? 0.9 : 0.3);

        FindingEvidence placement = Evaluate(results)[3];

        placement.Numbers[0].Should().StartWith("mnist/alexnet: best middle black = middle white 90.0 %");
        placement.Reading.Should().Be("No position and color is among the best in all 2 dataset/model rows.");
    }

    [Theory]
    [InlineData(true, "Size explains more ASR variance than rate in 1 of 1 scopes")]
    [InlineData(false, "Size explains more ASR variance than rate in 0 of 1 scopes")]
    public void Evaluate_SizeAndRate_ReadsTheVarianceShares(bool sizeDrives, string reading)
    {
        var noise = new Random(3);
        var results = SyntheticResults.Grid(s => (sizeDrives ? s.Trigger!.Size * 10 : s.PoisoningRate * 30) + (0.001 * noise.NextDouble()));

        FindingEvidence finding = Evaluate(results)[5];

        finding.Addressed.Should().BeTrue();
        finding.Numbers.Should().ContainSingle().Which.Should().StartWith("all: eta squared of size");
        finding.Reading.Should().StartWith(reading);
    }

    [Fact]
    public void Evaluate_WithOneSizeOrRate_DoesNotAddressFindingSix()
    {
        var results = SyntheticResults.QuickBlocks(_ => 0.5).Where(r => r.Spec.Trigger is null || r.Spec.Trigger.Size == 0.08).ToList();

        FindingEvidence finding = Evaluate(results)[5];

        finding.Addressed.Should().BeFalse();
        finding.Reading.Should().StartWith("Not addressed");
    }

    private static IReadOnlyList<FindingEvidence> Evaluate(IReadOnlyList<ExperimentResult> results) =>
        PaperFindings.Evaluate(results, ParameterImportance.Compute(results));
}
