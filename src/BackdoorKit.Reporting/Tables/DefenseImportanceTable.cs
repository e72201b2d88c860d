using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Importance;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// Which trigger characteristic decides what a defense detects: the share of each detection metric's variance (eta
/// squared over all backdoored results, <see cref="ParameterImportance.ComputeFor"/>) that each factor and the residual
/// explain, one column per metric of <see cref="Figures.DetectabilityFigure.Metrics"/>.
/// </summary>
public static class DefenseImportanceTable
{
    /// <summary>Builds the table.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The table (main effects and the residual, in <see cref="ParameterImportance.Factors"/> order); null without detection metrics.</returns>
    public static TextTable? Build(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ExperimentResult[] all = [.. results];
        string[] metrics = [.. Figures.DetectabilityFigure.Metrics(all)];
        if (metrics.Length == 0)
        {
            return null;
        }

        IReadOnlyDictionary<string, ImportanceRow>[] decompositions = [.. metrics.Select(metric => (IReadOnlyDictionary<string, ImportanceRow>)ParameterImportance
            .ComputeFor(all, r => r.Metrics.GetValueOrDefault(metric, double.NaN))
            .Where(r => r.Scope == "all").ToDictionary(r => r.Term))];
        string[] terms = [.. ParameterImportance.Factors.Append("residual").Where(t => decompositions.Any(d => d.ContainsKey(t)))];
        return new TextTable(
            "Variance of each detection metric explained by each factor (eta squared over all backdoored results; - where the factor does not vary)",
            ["term", .. metrics],
            [.. terms.Select(term => (IReadOnlyList<string>)[
                term, .. decompositions.Select(d => d.TryGetValue(term, out ImportanceRow? row) && row.Estimable ? TextTable.Fraction(row.EtaSquared) : "-")])]);
    }
}
