using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// Columns that put each step next to its floor (<see cref="StepCost"/>): GFLOP, MB moved, the floor in ms and the
/// measured mean divided by the floor. Benchmarks register their case's cost under <see cref="Key"/> in their setup
/// (benchmarks run in this process).
/// </summary>
internal sealed class FloorColumn(string name, string legend, Func<StepCost, double?, string> value) : CustomColumn(name, legend)
{
    /// <summary>Gets the costs by case key.</summary>
    public static ConcurrentDictionary<string, StepCost> Costs { get; } = new();

    /// <summary>Gets the columns: GFLOP, MB, floor and step / floor.</summary>
    public static IColumn[] All { get; } =
    [
        new FloorColumn("GFLOP", "FLOPs of the step (StepCost), 1e9", (c, _) => F(c.Flops / 1e9, "0.00")),
        new FloorColumn("MB moved", "Bytes the step must move (StepCost), 1e6", (c, _) => F(c.Bytes / 1e6, "0")),
        new FloorColumn("Floor ms", "max(GFLOP / measured GEMM rate, MB / measured copy bandwidth)", (c, _) => F(c.FloorMs, "0.0")),
        new FloorColumn("Step/floor", "Mean / Floor ms", (c, mean) => mean is double m ? F(m / c.FloorMs, "0.0") + "x" : "?"),
        new FloorColumn(
            "Layer floor ms",
            "sum over layers (and the optimizer) of max(its GFLOP / GEMM rate, its MB / bandwidth): layers run one after another",
            (c, _) => F(c.LayerFloorMs, "0.0")),
        new FloorColumn("Step/layer floor", "Mean / Layer floor ms", (c, mean) => mean is double m ? F(m / c.LayerFloorMs, "0.0") + "x" : "?"),
    ];

    /// <summary>The key of a case: its parameter values in the order of the parameters' names.</summary>
    public static string Key(params object[] parameters) => string.Join("|", parameters);

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string key = Key([.. benchmarkCase.Parameters.Items.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Value)]);
        double? meanMs = summary[benchmarkCase]?.ResultStatistics?.Mean / 1e6;
        return Costs.TryGetValue(key, out StepCost? cost) ? value(cost, meanMs) : "-";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
