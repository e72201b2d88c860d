using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting.Tests;

public class FurtherMetricsTableTests
{
    [Fact]
    public void Build_ResultsWithoutFurtherMetrics_GivesNoTable()
    {
        FurtherMetricsTable.Build([SyntheticResults.Result(SyntheticResults.Clean("alexnet", 0), 0.9, null)]).Should().BeNull();
    }

    [Fact]
    public void Build_AveragesEachMetricPerSettingAndSkipsUndefinedValues()
    {
        ExperimentSpec patch = SyntheticResults.Spec("alexnet", 0.04, "middle", "#FFFFFF", 0.01, 0);
        ExperimentSpec blend = patch with { Trigger = patch.Trigger! with { Family = "blend" }, Poisoner = "clean-label" };
        ExperimentResult[] results =
        [
            With(SyntheticResults.Result(patch, 0.9, 0.5), ("flip", 0.2), ("strip-far", 0.1)),
            With(SyntheticResults.Result(patch with { Repetition = 1, Seed = 1 }, 0.9, 0.5), ("flip", 0.4), ("strip-far", double.NaN)),
            With(SyntheticResults.Result(blend, 0.9, 0.5), ("flip", 0.8)),
        ];

        TextTable table = FurtherMetricsTable.Build(results)!;

        table.Headers.Should().Equal("dataset", "model", "freeze strategy", "trigger family", "poisoner", "eps", "models", "flip", "strip-far");
        table.Rows.Should().HaveCount(2);
        table.Rows[0].Should().Equal("mnist", "alexnet", "paper-text", "blend", "clean-label", "1 %", "1", "0.800 ± 0.000", "-");
        table.Rows[1].Skip(3).Should().Equal("patch", "dirty-label", "1 %", "2", "0.300 ± 0.141", "0.100 ± 0.000");
    }

    private static ExperimentResult With(ExperimentResult result, params (string Name, double Value)[] metrics) =>
        result with { Metrics = metrics.ToDictionary(m => m.Name, m => m.Value) };
}
