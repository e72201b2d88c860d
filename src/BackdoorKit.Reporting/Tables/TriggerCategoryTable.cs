using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// The paper's Table 3: for every dataset, position and color, whether some model reaches an ASR of at least 80 %,
/// the best reaches 60-80 %, or all stay below 60 %. A model's ASR for a position and color is its best cell: the
/// highest mean-over-repetitions ASR over trigger sizes and poisoning rates (ASR excluding target-class samples).
/// </summary>
public static class TriggerCategoryTable
{
    /// <summary>Classifies an ASR into the paper's three categories.</summary>
    /// <param name="asr">The best model's ASR.</param>
    /// <returns><c>&gt;= 80 %</c>, <c>60-80 %</c> or <c>&lt; 60 %</c>.</returns>
    public static string Category(double asr) => asr >= 0.8 ? ">= 80 %" : asr >= 0.6 ? "60-80 %" : "< 60 %";

    /// <summary>Builds the table from the main matrix's backdoored results.</summary>
    /// <param name="results">The results (clean baselines and freeze-study results are left out).</param>
    /// <returns>The table.</returns>
    public static TextTable Build(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<IReadOnlyList<string>>();
        var groups = StudyResults.Main(results)
            .Where(r => r.AttackSuccessRate is not null && r.Spec.Trigger is not null)
            .GroupBy(r => (r.Spec.Dataset, r.Spec.Trigger!.Position, r.Spec.Trigger.Color))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Position, StringComparer.Ordinal).ThenBy(g => g.Key.Color, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var best = group.GroupBy(r => r.Spec.Model)
                .Select(m => (Model: m.Key, Asr: m.GroupBy(r => (r.Spec.Trigger!.Size, r.Spec.PoisoningRate)).Max(c => c.Average(r => r.AttackSuccessRate!.Value))))
                .OrderByDescending(m => m.Asr).ThenBy(m => m.Model, StringComparer.Ordinal)
                .First();
            rows.Add([group.Key.Dataset, group.Key.Position, group.Key.Color, best.Model, TextTable.Fraction(best.Asr), Category(best.Asr)]);
        }

        return new TextTable(
            "Table 3: best model's ASR per dataset, position and color (best size and rate, mean over repetitions)",
            ["dataset", "position", "color", "best model", "ASR", "category"],
            rows);
    }
}
