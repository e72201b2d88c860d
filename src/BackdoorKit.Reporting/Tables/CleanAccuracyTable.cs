using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// The paper's Table 2: clean accuracy (mean ± sample standard deviation over every trigger and repetition) by
/// poisoning rate, per dataset and model, against the clean (eps = 0) models. In each dataset and model the rate whose
/// mean differs most from the clean models' in absolute value is marked, as the paper marks it in bold.
/// </summary>
public static class CleanAccuracyTable
{
    /// <summary>Builds the long table: one row per dataset, model and rate, fractions, the signed drop against eps = 0 (<c>*</c> on the largest absolute one).</summary>
    /// <param name="results">The results (freeze-study results are left out).</param>
    /// <returns>The table.</returns>
    public static TextTable Build(IEnumerable<ExperimentResult> results)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (Cell cell in Cells(results))
        {
            foreach ((double rate, Summary accuracy) in cell.ByRate)
            {
                double drop = cell.Baseline - accuracy.Mean;
                string dropText = rate == 0 || double.IsNaN(drop)
                    ? "-"
                    : drop.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) + (rate == cell.LargestDifferenceRate ? " *" : string.Empty);
                rows.Add([
                    cell.Dataset,
                    cell.Model,
                    Levels.Percent(rate),
                    string.Create(CultureInfo.InvariantCulture, $"{TextTable.Fraction(accuracy.Mean)} ± {TextTable.Fraction(accuracy.StandardDeviation)}"),
                    accuracy.Count.ToString(CultureInfo.InvariantCulture),
                    dropText]);
            }
        }

        return new TextTable(
            "Table 2: clean accuracy by poisoning rate (mean ± sd over triggers and repetitions; drop = eps 0 mean minus this mean; * = largest absolute difference from eps = 0)",
            ["dataset", "model", "eps", "clean accuracy", "models", "drop"],
            rows);
    }

    /// <summary>
    /// Builds the table in the paper's layout: one row per dataset and model, one column per poisoning rate (eps 0 first),
    /// cells <c>percent ± sd</c> (e.g. <c>98.50 ± 0.1915</c>), the cell with the largest absolute difference from eps 0 emphasized (bold).
    /// </summary>
    /// <param name="results">The results (freeze-study results are left out).</param>
    /// <returns>The table; a rate a row never ran shows <c>-</c>.</returns>
    public static TextTable BuildPaperLayout(IEnumerable<ExperimentResult> results)
    {
        IReadOnlyList<Cell> cells = Cells(results);
        double[] rates = [.. cells.SelectMany(c => c.ByRate.Select(x => x.Rate)).Append(0).Distinct().Order()];
        var rows = new List<IReadOnlyList<string>>();
        var bold = new HashSet<(int Row, int Column)>();
        foreach (Cell cell in cells)
        {
            if (cell.LargestDifferenceRate is double largest)
            {
                bold.Add((rows.Count, 2 + Array.IndexOf(rates, largest)));
            }

            rows.Add([cell.Dataset, cell.Model, .. rates.Select(rate => TextTable.PercentWithSd(cell.ByRate.FirstOrDefault(x => x.Rate == rate).Accuracy))]);
        }

        return new TextTable(
            "Table 2 (paper layout): clean accuracy (%) of clean (eps = 0) and poisoned models by eps (%), mean ± sd over triggers and repetitions; bold = largest absolute difference from eps = 0",
            ["dataset", "model", .. rates.Select(r => "eps " + Levels.Percent(r))],
            rows,
            bold);
    }

    private static IReadOnlyList<Cell> Cells(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<ExperimentResult> main = StudyResults.Main(results);
        string[] datasets = Levels.Datasets(main.Select(r => r.Spec.Dataset));
        return [.. main.GroupBy(r => (r.Spec.Dataset, r.Spec.Model))
            .OrderBy(g => Array.IndexOf(datasets, g.Key.Dataset)).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g =>
            {
                (double Rate, Summary Accuracy)[] byRate = [.. g.GroupBy(r => r.Spec.PoisoningRate).OrderBy(x => x.Key)
                    .Select(x => (x.Key, Summary.Of(x.Select(r => r.CleanAccuracy))))];
                double baseline = byRate.Where(x => x.Rate == 0).Select(x => x.Accuracy.Mean).DefaultIfEmpty(double.NaN).First();
                double? largest = double.IsNaN(baseline) || !byRate.Any(x => x.Rate > 0)
                    ? null
                    : byRate.Where(x => x.Rate > 0).MaxBy(x => Math.Abs(baseline - x.Accuracy.Mean)).Rate;
                return new Cell(g.Key.Dataset, g.Key.Model, byRate, baseline, largest);
            })];
    }

    private sealed record Cell(string Dataset, string Model, IReadOnlyList<(double Rate, Summary Accuracy)> ByRate, double Baseline, double? LargestDifferenceRate);
}
