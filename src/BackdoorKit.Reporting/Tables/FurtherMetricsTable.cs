using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// The metrics beyond clean accuracy and ASR that the runner computed (<see cref="ExperimentResult.Metrics"/>: built-in
/// or your own <see cref="Metrics.IMetric"/>s): mean ± sample standard deviation per setting, i.e. per dataset, model,
/// freeze strategy, trigger family, poisoner and poisoning rate, over every trigger and repetition.
/// </summary>
public static class FurtherMetricsTable
{
    /// <summary>Builds the table.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The table, one column per metric name in name order; null when no result has a further metric.</returns>
    public static TextTable? Build(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ExperimentResult[] all = [.. results];
        string[] names = [.. all.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal)];
        if (names.Length == 0)
        {
            return null;
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var setting in all
            .GroupBy(r => (r.Spec.Dataset, r.Spec.Model, r.Spec.FreezeStrategy, Family: TriggerFamily(r.Spec), Poisoner: Poisoner(r.Spec), r.Spec.PoisoningRate))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.FreezeStrategy, StringComparer.Ordinal).ThenBy(g => g.Key.Family, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Poisoner, StringComparer.Ordinal).ThenBy(g => g.Key.PoisoningRate))
        {
            List<string> row = [setting.Key.Dataset, setting.Key.Model, setting.Key.FreezeStrategy, setting.Key.Family, setting.Key.Poisoner,
                Levels.Percent(setting.Key.PoisoningRate), setting.Count().ToString(CultureInfo.InvariantCulture)];
            foreach (string name in names)
            {
                Summary value = Summary.Of(setting.Select(r => r.Metrics.GetValueOrDefault(name, double.NaN)).Where(v => !double.IsNaN(v)));
                row.Add(value.Count == 0
                    ? "-"
                    : string.Create(CultureInfo.InvariantCulture, $"{TextTable.Fraction(value.Mean)} ± {TextTable.Fraction(value.StandardDeviation)}"));
            }

            rows.Add(row);
        }

        return new TextTable(
            "Further metrics by setting (mean ± sd over triggers and repetitions; - where undefined)",
            ["dataset", "model", "freeze strategy", "trigger family", "poisoner", "eps", "models", .. names],
            rows);
    }

    private static string TriggerFamily(ExperimentSpec spec) =>
        spec.Trigger is null ? "-" : spec.Trigger.Family ?? KnownTriggerFactories.Patch.Name;

    /// <summary>The poisoner's name, with the label mode when it is not all-to-one (<c>dirty-label allToAll</c>).</summary>
    private static string Poisoner(ExperimentSpec spec) =>
        spec.IsClean ? "-"
        : (spec.Poisoner ?? Poisoning.KnownPoisoners.DirtyLabel.Name) + (spec.LabelMode == Poisoning.LabelMode.AllToAll ? " " + Poisoning.LabelModes.ToName(spec.LabelMode) : string.Empty);
}
