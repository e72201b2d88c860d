using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// The paper's Table 2: clean accuracy (mean ± sample standard deviation over every trigger and repetition) by
/// poisoning rate, per dataset and model, with the drop against the clean (eps = 0) models; the largest drop of each
/// dataset and model is marked with <c>*</c>.
/// </summary>
public static class CleanAccuracyTable
{
    /// <summary>Builds the table from the main matrix's results.</summary>
    /// <param name="results">The results (freeze-study results are left out).</param>
    /// <returns>The table.</returns>
    public static TextTable Build(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var cell in StudyResults.Main(results).GroupBy(r => (r.Spec.Dataset, r.Spec.Model)).OrderBy(g => g.Key))
        {
            var byRate = cell.GroupBy(r => r.Spec.PoisoningRate).OrderBy(g => g.Key)
                .Select(g => (Rate: g.Key, Accuracy: Summary.Of(g.Select(r => r.CleanAccuracy)))).ToArray();
            double baseline = byRate.FirstOrDefault(x => x.Rate == 0).Accuracy.Count > 0 ? byRate.First(x => x.Rate == 0).Accuracy.Mean : double.NaN;
            double largest = byRate.Where(x => x.Rate > 0).Select(x => baseline - x.Accuracy.Mean).DefaultIfEmpty(double.NaN).Max();
            foreach ((double rate, Summary accuracy) in byRate)
            {
                double drop = baseline - accuracy.Mean;
                string dropText = rate == 0 || double.IsNaN(drop)
                    ? "-"
                    : drop.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) + (drop == largest ? " *" : string.Empty);
                rows.Add([
                    cell.Key.Dataset,
                    cell.Key.Model,
                    TextTable.Percent(rate),
                    string.Create(CultureInfo.InvariantCulture, $"{TextTable.Fraction(accuracy.Mean)} ± {TextTable.Fraction(accuracy.StandardDeviation)}"),
                    accuracy.Count.ToString(CultureInfo.InvariantCulture),
                    dropText]);
            }
        }

        return new TextTable(
            "Table 2: clean accuracy by poisoning rate (mean ± sd over triggers and repetitions; * = largest drop against eps = 0)",
            ["dataset", "model", "eps", "clean accuracy", "models", "drop"],
            rows);
    }
}
