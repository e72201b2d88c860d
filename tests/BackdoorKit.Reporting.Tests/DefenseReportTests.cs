using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Figures;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting.Tests;

public sealed class DefenseReportTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"defense-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Metrics_AreTheDefensesDetectionRatesAndAurocs()
    {
        List<ExperimentResult> results = Defended(_ => 0.9);

        DetectabilityFigure.Metrics(results).Should().Equal("activation-clustering.tpr", "strip.auroc", "strip.far");
    }

    [Fact]
    public void StealthTable_ListsEffectiveSettingsLeastDetectedFirst()
    {
        // Larger triggers are detected more easily (AUROC grows with size); the smallest is not effective.
        List<ExperimentResult> results = Defended(s => s.Trigger!.Size >= 0.06 ? 0.95 : 0.1);

        TextTable table = StealthTable.Build(results)!;

        table.Headers.Should().EndWith(["ASR", "activation-clustering.tpr", "strip.auroc", "strip.far", "detection"]);
        table.Rows.Should().OnlyContain(r => r[2] == "6 %" || r[2] == "8 %", "4 % triggers reach no ASR bar");
        table.Rows[0][2].Should().Be("6 %", "the smaller effective trigger is the stealthier");
        table.Rows[^1][2].Should().Be("8 %");
    }

    [Fact]
    public void DefenseImportanceTable_AttributesAMetricThatFollowsTheSizeToTheSize()
    {
        List<ExperimentResult> results = Defended(s => s.PoisoningRate);

        TextTable table = DefenseImportanceTable.Build(results)!;

        table.Headers.Should().Equal("term", "activation-clustering.tpr", "strip.auroc", "strip.far");
        table.Rows.Single(r => r[0] == "size").Skip(1).Should().OnlyContain(v => v == "1.000", "every detection metric here is a function of the size alone");
        table.Rows.Single(r => r[0] == "rate").Skip(1).Should().OnlyContain(v => v == "0.000");
    }

    [Fact]
    public void StealthTable_WithoutDefenses_IsNull()
    {
        StealthTable.Build(SyntheticResults.Grid(_ => 0.9)).Should().BeNull();
    }

    [Fact]
    public void ReportWriter_WithDefenseMetrics_AddsTheDefensesSectionTableAndFigures()
    {
        List<ExperimentResult> results = Defended(_ => 0.95);

        ReportFiles files = new ReportWriter().Write(results, null, folder);

        File.ReadAllText(files.Markdown).Should().Contain("## Defenses").And.Contain("Effective and stealthy triggers").And.Contain("Variance of each detection metric");
        files.Figures.Should().Contain(f => Path.GetFileName(f) == "defense-mnist-strip.auroc-size-rate.png")
            .And.Contain(f => Path.GetFileName(f) == "defense-mnist-strip.auroc-position-color.png");
    }

    /// <summary>The synthetic grid with STRIP and Activation Clustering numbers that rise with the trigger size.</summary>
    private static List<ExperimentResult> Defended(Func<ExperimentSpec, double> asr) =>
        [.. SyntheticResults.Grid(asr).Select(r => r.Spec.Trigger is not { } t ? r : r with
        {
            Metrics = new Dictionary<string, double>
            {
                ["strip.auroc"] = 0.5 + (5 * t.Size),
                ["strip.far"] = 1 - (10 * t.Size),
                ["activation-clustering.tpr"] = 10 * t.Size,
                ["activation-clustering.classes-flagged"] = 1,
            },
        })];
}
