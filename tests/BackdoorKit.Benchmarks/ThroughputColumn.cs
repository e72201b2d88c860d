using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// Columns for benchmarks whose call is one whole experiment: experiments per hour (3,600 s / mean) and the speed-up
/// over the baseline method with the same parameters (baseline mean / mean; 20.0x means 20 times more experiments per
/// hour).
/// </summary>
internal sealed class ThroughputColumn(string name, string legend, Func<Summary, BenchmarkCase, double, string> value) : CustomColumn(name, legend)
{
    /// <summary>Gets the columns: experiments per hour and speed-up.</summary>
    public static IColumn[] All { get; } =
    [
        new ThroughputColumn("Experiments/h", "Experiments per hour at the mean time: 3600 s / Mean", (_, _, mean) => F(3600e9 / mean, "0")),
        new ThroughputColumn("Speed-up", "Baseline mean (same parameters) / Mean", Speedup),
    ];

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean is double mean && mean > 0 ? value(summary, benchmarkCase, mean) : "?";

    private static string Speedup(Summary summary, BenchmarkCase benchmarkCase, double mean)
    {
        BenchmarkCase? baseline = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Baseline && c.Descriptor.Type == benchmarkCase.Descriptor.Type && c.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo);
        return baseline is not null && summary[baseline]?.ResultStatistics?.Mean is double baselineMean
            ? F(baselineMean / mean, "0.0") + "x"
            : "?";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
