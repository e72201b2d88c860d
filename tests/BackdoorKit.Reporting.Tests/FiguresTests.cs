using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Figures;
using SkiaSharp;

namespace BackdoorKit.Reporting.Tests;

public sealed class FiguresTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("figures-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void PositionColorGrid_DrawsEveryCellInColourWithItsValue()
    {
        // One size and one rate: the block the rate x size heat maps drew as empty frames.
        var results = SyntheticResults.QuickBlocks(s => s.Trigger!.Position == "middle" ? 0.1 : 0.95);

        string png = FigureFiles.Save(PositionColorGridFigure.Create(results, "mnist", 0.08, 0.02), folder, "grid", 560, 420);
        string single = FigureFiles.Save(HeatMapFigure.Create(results, "mnist", "#000000", "top-left"), folder, "single", 560, 420);

        Pixels.Colourful(png).Should().BeGreaterThan(560 * 420 / 10, "ten coloured cells fill most of the panel");
        Pixels.Colourful(png).Should().BeGreaterThan(3 * Pixels.Colourful(single), "a heat map of one cell shows next to nothing");
        Pixels.DistinctColors(png, new SKRectI(0, 0, 560, 420)).Should().BeGreaterThan(50, "values and labels are drawn over the cells");
        File.Exists(Path.Combine(folder, "grid.svg")).Should().BeTrue();
    }

    [Fact]
    public void FreezeDepth_WithTheSameSettingFromScratch_MarksItsAsrAsADashedLine_AndWithoutItDrawsNone()
    {
        ExperimentSpec setting = SyntheticResults.Spec("resnet152", 0.08, "bottom-right", "#FFFFFF", 0.02, 0) with { InputSize = 32 };
        var depth = Enumerable.Range(0, 5)
            .Select(k => SyntheticResults.Result(setting with { Block = "freeze-depth", FreezeStrategy = $"train-last-{k}-stages" }, 0.95, k / 4.0))
            .ToList();
        ExperimentResult scratch = SyntheticResults.Result(setting with { Block = "from-scratch", FreezeStrategy = "full", Weights = "random" }, 0.9, 0.3);
        ExperimentResult otherSetting = SyntheticResults.Result(setting with { FreezeStrategy = "full", Weights = "random", InputSize = 64 }, 0.9, 0.7);

        ScottPlot.Plot with = FreezeIndexFigure.Create([.. depth, scratch, otherSetting], "mnist", FreezeIndexLines.Sizes);
        ScottPlot.Plot without = FreezeIndexFigure.Create([.. depth, otherSetting], "mnist", FreezeIndexLines.Sizes);

        with.GetPlottables().OfType<ScottPlot.Plottables.HorizontalLine>().Should().ContainSingle()
            .Which.Should().Match<ScottPlot.Plottables.HorizontalLine>(l => l.Y == 30 && l.LegendText == "size 8 %, from scratch");
        without.GetPlottables().OfType<ScottPlot.Plottables.HorizontalLine>().Should().BeEmpty("a from-scratch model of another setting is not this line's");
    }

    [Fact]
    public void ReportWriter_WithTheQuickBlocks_DrawsHeatMapsForTheSizeRateBlockAndAGridForTheRest()
    {
        var results = SyntheticResults.QuickBlocks(s => s.Trigger!.Size * 10);

        ReportFiles files = new ReportWriter().Write(results, null, folder);

        files.Figures.Select(Path.GetFileNameWithoutExtension).Should().Equal(
            "heatmap-mnist-000000-bottom-right", "heatmap-mnist-FFFFFF-bottom-right", "grid-mnist-size8-eps2");
        files.Figures.Should().OnlyContain(f => Pixels.Colourful(f) > 10_000);
        File.ReadAllText(files.Markdown).Should().Contain("### ASR by position and color: mnist, size 8 %, eps 2 %");
    }

    [Fact]
    public void ReportWriter_WithAHigherCellMinimum_DrawsGridsForEveryLevel()
    {
        var results = SyntheticResults.QuickBlocks(_ => 0.5);

        ReportFiles files = new ReportWriter(new ReportOptions { MinimumHeatMapCells = 13 }).Write(results, null, folder);

        files.Figures.Should().HaveCount(3 * 4, "every size and rate of the bottom-right block becomes a grid");
    }

    [Fact]
    public void Options_MinimumHeatMapCellsOutOfRange_FailNamingTheValue()
    {
        Action act = () => _ = new ReportOptions { MinimumHeatMapCells = 0 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MinimumHeatMapCells must be in [1, 100]; got 0.*");
    }
}
