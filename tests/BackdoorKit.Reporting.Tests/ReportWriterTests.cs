using System.Globalization;
using System.Xml.Linq;
using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tests;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Write_ProducesTablesFiguresImportanceAndASelfContainedPage()
    {
        var results = SyntheticResults.Grid(s => s.Trigger!.Size * 10);
        ExperimentSpec missing = SyntheticResults.Spec("alexnet", 0.04, "middle", "#FFFFFF", 0.5, 0);

        ReportFiles files = new ReportWriter().Write(results, [.. results.Select(r => r.Spec), missing], folder);

        files.Figures.Should().HaveCount(5 * 2, "one heat map per color x position");
        foreach (string png in files.Figures)
        {
            File.ReadAllBytes(png).Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
            XDocument.Load(Path.ChangeExtension(png, ".svg")).Root!.Name.LocalName.Should().Be("svg");
        }

        files.Tables.Select(Path.GetFileName).Should().Contain(["table2-clean-accuracy.tex", "table2-clean-accuracy-paper.md", "table3-trigger-categories.csv",
            "table3-trigger-categories-paper.tex", "importance.md"]);
        File.ReadAllText(files.Importance).Should().StartWith("scope,term,etaSquared");
        files.Missing.Should().ContainSingle().Which.Id.Should().Be(missing.Id);
        string markdown = File.ReadAllText(files.Markdown);
        markdown.Should().Contain("1 missing").And.Contain(missing.Id).And.Contain("mnist 8 % = 5x5 px");
        markdown.Should().Contain("figures/heatmap-mnist-FFFFFF-middle.png");
        string html = File.ReadAllText(files.Html);
        html.Should().Contain("data:image/png;base64,").And.NotContain("src=\"http").And.NotContain("src=\"figures/");
        html.Should().Contain("Differences from the published code");
        files.Asr.Should().Be(AsrDefinition.ExcludingTarget);
        markdown.Should().Contain("ASR definition of every table, figure and finding: excluding-target (the default for this study's protocol)");
        markdown.Should().Contain("## Findings (the paper's section 4.5)").And.Contain("- Finding 1 (paper: ").And.Contain("- Finding 6 (paper: ");
        markdown.Should().NotContain("## Failed experiments");
    }

    [Fact]
    public void Write_SeedCodeStudy_UsesTheIncludingTargetAsrUnlessTold()
    {
        // Excluding target, every trigger fails (0.02); including target-class images, the floor is 0.12.
        var results = AsrTests.SeedCode(SyntheticResults.Grid(_ => 0.02).Select(r => r with { AttackSuccessRateIncludingTarget = r.AttackSuccessRate + 0.1 }));

        ReportFiles byDefault = new ReportWriter().Write(results, null, folder);
        string markdown = File.ReadAllText(byDefault.Markdown);
        ReportFiles told = new ReportWriter(new ReportOptions { Asr = AsrDefinition.ExcludingTarget }).Write(results, null, folder);

        byDefault.Asr.Should().Be(AsrDefinition.IncludingTarget);
        markdown.Should().Contain("ASR definition of every table, figure and finding: including-target (the default for this study's protocol)");
        markdown.Should().Contain("| mnist | bottom-right | #FFFFFF | 8 % | alexnet | 0.120 | < 60 % |");
        told.Asr.Should().Be(AsrDefinition.ExcludingTarget);
        File.ReadAllText(told.Markdown).Should().Contain("excluding-target (chosen)").And.Contain("| mnist | bottom-right | #FFFFFF | 8 % | alexnet | 0.020 | < 60 % |");
    }

    [Fact]
    public void Write_WithFailures_ListsThemInTheirOwnSection()
    {
        var results = SyntheticResults.Grid(_ => 0.5);

        ReportFiles files = new ReportWriter().Write(results, null, folder, ["abc123: mnist, alexnet: out of memory"]);

        File.ReadAllText(files.Markdown).Should().Contain("## Failed experiments\n\n- 1 experiments failed:\n- abc123: mnist, alexnet: out of memory\n");
    }

    [Theory]
    [InlineData("freeze-index-{0}")]
    [InlineData("freeze-first-{0}")]
    [InlineData("train-last-{0}-stages")]
    public void Write_WithAFreezeStudy_DrawsAsrAgainstTheFreezeDepthBySizeAndByRate(string strategy)
    {
        var results = SyntheticResults.Grid(_ => 0.5);
        foreach (int k in new[] { 0, 8, 14 })
        {
            foreach (double size in SyntheticResults.Sizes)
            {
                foreach (double rate in SyntheticResults.Rates)
                {
                    ExperimentSpec spec = SyntheticResults.Spec("alexnet", size, "bottom-right", "#FFFFFF", rate, 0, string.Format(CultureInfo.InvariantCulture, strategy, k));
                    results.Add(SyntheticResults.Result(spec, 0.9, 1 - (k / 16.0)));
                }
            }
        }

        ReportFiles files = new ReportWriter().Write(results, null, folder);

        files.Figures.Select(Path.GetFileName).Should().Contain(["freeze-index-mnist-sizes.png", "freeze-index-mnist-rates.png"]);
        files.Figures.Should().HaveCount((5 * 2) + 2, "freeze-study results do not enter the heat maps");
        Tables.CleanAccuracyTable.Build(results).Rows.Should().HaveCount(2 * 5, "nor Table 2");
    }

    [Fact]
    public void Write_WithoutResults_Fails()
    {
        Action act = () => new ReportWriter().Write([], null, folder);

        act.Should().Throw<ArgumentException>().WithMessage("there are no results*");
    }

    [Fact]
    public void Options_OutOfRange_FailNamingTheValue()
    {
        Action act = () => _ = new ReportOptions { PanelWidth = 10 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("PanelWidth must be in [120, 4000]; got 10.*");
    }
}
