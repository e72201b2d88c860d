using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting.Tables;

/// <summary>
/// The paper's Table 3: for every dataset, position, color and trigger size, whether some model reaches an ASR of at
/// least 80 %, the best reaches 60-80 %, or all stay below 60 %. A model's ASR for a position, color and size is its best
/// poisoning rate's mean ASR over repetitions.
/// </summary>
public static class TriggerCategoryTable
{
    /// <summary>The paper's mark for "some model reaches at least 80 %".</summary>
    public const string Above80 = "■";

    /// <summary>The mark for "the best model reaches 60-80 %".</summary>
    public const string From60To80 = "▣";

    /// <summary>The paper's mark for "every model stays below 60 %".</summary>
    public const string Below60 = "□";

    /// <summary>Classifies an ASR into the paper's three categories.</summary>
    /// <param name="asr">The best model's ASR.</param>
    /// <returns><c>&gt;= 80 %</c>, <c>60-80 %</c> or <c>&lt; 60 %</c>.</returns>
    public static string Category(double asr) => asr >= 0.8 ? ">= 80 %" : asr >= 0.6 ? "60-80 %" : "< 60 %";

    /// <summary>Gives an ASR the paper's mark: <see cref="Above80"/>, <see cref="From60To80"/> or <see cref="Below60"/>.</summary>
    /// <param name="asr">The best model's ASR.</param>
    /// <returns>The mark.</returns>
    public static string Mark(double asr) => asr >= 0.8 ? Above80 : asr >= 0.6 ? From60To80 : Below60;

    /// <summary>Builds the long table: one row per dataset, position, color and size with the best model, its ASR and the category.</summary>
    /// <param name="results">The results (clean baselines and freeze-study results are left out).</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The table.</returns>
    public static TextTable Build(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        IReadOnlyList<Cell> cells = Cells(results, asr);
        return new TextTable(
            $"Table 3: best model's ASR ({Asr.Name(asr)}) per dataset, position, color and trigger size (best rate, mean over repetitions)",
            ["dataset", "position", "color", "size", "best model", "ASR", "category"],
            [.. cells.Select(c => (IReadOnlyList<string>)[
                c.Dataset, c.Position, c.Color, Levels.Percent(c.Size), c.BestModel, TextTable.Fraction(c.Asr), Category(c.Asr)])]);
    }

    /// <summary>
    /// Builds the table in the paper's layout: one row per trigger position, one column per color, trigger size and
    /// dataset (white, black, green; sizes ascending; MNIST, CIFAR10, TinyImageNet), cells the paper's marks; <c>-</c> where
    /// the study did not run the combination.
    /// </summary>
    /// <param name="results">The results (clean baselines and freeze-study results are left out).</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The table.</returns>
    public static TextTable BuildPaperLayout(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        IReadOnlyList<Cell> cells = Cells(results, asr);
        var columns = (from color in Levels.Colors(cells.Select(c => c.Color))
                       from size in cells.Select(c => c.Size).Distinct().Order()
                       from dataset in Levels.Datasets(cells.Select(c => c.Dataset))
                       select (Color: color, Size: size, Dataset: dataset)).ToArray();
        var rows = Levels.Positions(cells.Select(c => c.Position)).Select(position => (IReadOnlyList<string>)[
            position,
            .. columns.Select(k => cells.FirstOrDefault(c => c.Position == position && c.Color == k.Color && c.Size == k.Size && c.Dataset == k.Dataset) is { } c
                ? Mark(c.Asr)
                : "-")]);
        return new TextTable(
            $"Table 3 (paper layout): {Above80} some model's ASR ({Asr.Name(asr)}) is at least 80 %, {From60To80} the best is 60-80 %, {Below60} every model is below 60 %, - not run; columns: color, trigger size, dataset",
            ["position", .. columns.Select(k => $"{Levels.ColorName(k.Color)} {Levels.Percent(k.Size)} {k.Dataset}")],
            [.. rows]);
    }

    private static IReadOnlyList<Cell> Cells(IEnumerable<ExperimentResult> results, AsrDefinition asr)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<ExperimentResult> backdoored = StudyResults.Placed(StudyResults.Backdoored(results, asr));
        string[] datasets = Levels.Datasets(backdoored.Select(r => r.Spec.Dataset));
        string[] positions = Levels.Positions(backdoored.Select(r => r.Spec.Trigger!.Position));
        string[] colors = Levels.Colors(backdoored.Select(r => r.Spec.Trigger!.Color));
        return [.. backdoored
            .GroupBy(r => (r.Spec.Dataset, r.Spec.Trigger!.Position, r.Spec.Trigger.Color, r.Spec.Trigger.Size))
            .OrderBy(g => Array.IndexOf(datasets, g.Key.Dataset)).ThenBy(g => Array.IndexOf(positions, g.Key.Position))
            .ThenBy(g => Array.IndexOf(colors, g.Key.Color)).ThenBy(g => g.Key.Size)
            .Select(g =>
            {
                var best = g.GroupBy(r => r.Spec.Model)
                    .Select(m => (Model: m.Key, Asr: m.GroupBy(r => r.Spec.PoisoningRate).Max(c => c.Average(r => Asr.Of(r, asr)!.Value))))
                    .OrderByDescending(m => m.Asr).ThenBy(m => m.Model, StringComparer.Ordinal)
                    .First();
                return new Cell(g.Key.Dataset, g.Key.Position, g.Key.Color, g.Key.Size, best.Model, best.Asr);
            })];
    }

    private sealed record Cell(string Dataset, string Position, string Color, double Size, string BestModel, double Asr);
}
