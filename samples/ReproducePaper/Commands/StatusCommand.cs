using System.Globalization;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary><c>status --out DIR</c>: experiments done and total, overall and per factor value.</summary>
internal static class StatusCommand
{
    public static int Run(CommandLine line)
    {
        string folder = line.Required("out");
        line.RejectUnknown();
        ExperimentMatrix matrix = StudyFolder.ReadMatrix(folder);
        using var store = StudyFolder.OpenExistingStore(folder);
        IReadOnlySet<string> done = store.CompletedIds();
        IReadOnlyList<ExperimentSpec> all = matrix.Expand().All;
        int finished = all.Count(s => done.Contains(s.Id));
        Terminal.Line($"{matrix.Name}: {finished}/{all.Count} experiments done ({100.0 * finished / Math.Max(1, all.Count):F1} %)");
        Terminal.Table(
            "done/total per factor",
            ["factor", "value", "done", "total"],
            Factors.Of(all).Select(f =>
            {
                ExperimentSpec[] group = f.Specs.ToArray();
                return (IReadOnlyList<string>)[f.Factor, f.Value, group.Count(s => done.Contains(s.Id)).ToString(CultureInfo.InvariantCulture), group.Length.ToString(CultureInfo.InvariantCulture)];
            }));
        return 0;
    }
}
