using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Reporting.Importance;

namespace BackdoorKit.Reporting.Findings;

/// <summary>
/// Sets a study's numbers beside the paper's Findings 1-6: mean ASR from scratch against transfer learning (over the
/// main grid, and within settings run both ways at every freeze depth), clean
/// accuracy drop (CAD) by poisoning rate, ASR against model size, the best position and color per dataset and model,
/// ASR by position, and the variance shares of trigger size and poisoning rate. Each finding gets the numbers and a
/// neutral reading, or the reason the study's matrix cannot address it; nothing is judged as support.
/// </summary>
public static class PaperFindings
{
    // Means closer than this are taken as equal (ties in ASR are common: 0 or 1 for every repetition).
    private const double Tie = 1e-9;

    /// <summary>Evaluates the six findings.</summary>
    /// <param name="results">
    /// The study's results. Findings 2-6 use the main grid only (<see cref="StudyResults.Main"/>); Finding 1 also compares
    /// settings run both from scratch and from pretrained weights anywhere in the study (e.g. the <c>quick</c> preset's
    /// <c>from-scratch</c> and <c>freeze-depth</c> blocks).
    /// </param>
    /// <param name="importance">The parameter importance of the same results and ASR definition (<see cref="ParameterImportance.Compute"/>).</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>Findings 1 to 6, in order.</returns>
    public static IReadOnlyList<FindingEvidence> Evaluate(IEnumerable<ExperimentResult> results, IReadOnlyList<ImportanceRow> importance, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(importance);
        ExperimentResult[] all = [.. results];
        IReadOnlyList<ExperimentResult> main = StudyResults.Main(all);
        IReadOnlyList<ExperimentResult> backdoored = StudyResults.Backdoored(main, asr);
        ExperimentResult[] everyBackdoored = [.. all.Where(r => r.Spec.Trigger is not null && !r.Spec.IsClean && Asr.Of(r, asr) is not null)];
        return [Scratch(backdoored, everyBackdoored, asr), AccuracyDrop(main), ModelSize(backdoored, asr), BestPlacement(backdoored, asr), Positions(backdoored, importance, asr), SizeAndRate(importance)];
    }

    private static FindingEvidence Scratch(IReadOnlyList<ExperimentResult> main, IReadOnlyList<ExperimentResult> all, AsrDefinition asr)
    {
        const string Claim = "the backdoor attack is easier when training from scratch than with transfer learning";

        // Settings run both ways: the same data, model, input, training, trigger and rate, from random and from
        // pretrained weights (the quick preset's from-scratch and freeze-depth blocks, or a main grid crossing weights).
        var matched = all.GroupBy(Setting)
            .Where(g => g.Any(r => r.Spec.Weights == "random") && g.Any(r => r.Spec.Weights == "pretrained"))
            .SelectMany(g => g).ToArray();
        var byWeights = main.GroupBy(r => r.Spec.Weights).ToDictionary(g => g.Key, g => g.ToArray());
        bool mainHasBoth = byWeights.ContainsKey("random") && byWeights.ContainsKey("pretrained");
        if (matched.Length == 0 && !mainHasBoth)
        {
            string has = byWeights.ContainsKey("random") ? "only from-scratch (random-weight) models" : "only transfer-learning (pretrained) models";
            return new FindingEvidence(1, Claim, [], $"Not addressed: the study has {has} and no setting run both ways, so it cannot compare the two.", false);
        }

        var numbers = new List<string>();
        double scratch = double.NaN, transfer = double.NaN;
        if (mainHasBoth)
        {
            scratch = Mean(byWeights["random"], asr);
            transfer = Mean(byWeights["pretrained"], asr);
            numbers.Add($"main grid: mean ASR from scratch {Pct(scratch)} ({byWeights["random"].Length} models), with transfer learning {Pct(transfer)} ({byWeights["pretrained"].Length} models)");
        }

        string scope = "over the main grid's models (mixing models and datasets)";
        if (matched.Length > 0)
        {
            ExperimentResult[] fromScratch = [.. matched.Where(r => r.Spec.Weights == "random")];
            ExperimentResult[] pretrained = [.. matched.Where(r => r.Spec.Weights == "pretrained")];
            scratch = Mean(fromScratch, asr);
            transfer = Mean(pretrained, asr);
            int settings = matched.Select(Setting).Distinct().Count();
            numbers.Add($"{settings} setting(s) run both ways (same dataset, model, input size, data, training, trigger and rate): mean ASR from scratch {Pct(scratch)} ({fromScratch.Length} models), with transfer learning {Pct(transfer)} ({pretrained.Length} models)");
            numbers.Add("with transfer learning by freeze strategy: " + string.Join(", ", pretrained
                .GroupBy(r => r.Spec.FreezeStrategy)
                .OrderBy(g => FreezeDepth.TryParse(g.Key, out FreezeDepth? d) ? d.Value : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {Pct(Mean(g, asr))}")));
            numbers.Add($"clean accuracy in those settings: from scratch {Pct(fromScratch.Average(r => r.CleanAccuracy))}, with transfer learning {Pct(pretrained.Average(r => r.CleanAccuracy))}");
            scope = "within the settings run both ways";
        }

        return new FindingEvidence(1, Claim, numbers, $"Mean ASR {scope} is {Compare(scratch, transfer)} from scratch than with transfer learning ({Points(scratch - transfer)}).", true);
    }

    private static object Setting(ExperimentResult r) => StudyResults.Setting(r.Spec);

    private static FindingEvidence AccuracyDrop(IReadOnlyList<ExperimentResult> main)
    {
        const string Claim = "the clean accuracy drop (CAD) grows with the poisoning rate eps";
        var rows = main.GroupBy(r => (r.Spec.Dataset, r.Spec.Model)).Select(g =>
        {
            double clean = g.Where(r => r.Spec.IsClean).Select(r => r.CleanAccuracy).DefaultIfEmpty(double.NaN).Average();
            var cad = g.Where(r => !r.Spec.IsClean).GroupBy(r => r.Spec.PoisoningRate).OrderBy(x => x.Key)
                .Select(x => (Rate: x.Key, Cad: clean - x.Average(r => r.CleanAccuracy))).ToArray();
            return (g.Key.Dataset, g.Key.Model, Clean: clean, Cad: cad);
        }).Where(x => !double.IsNaN(x.Clean) && x.Cad.Length > 0).ToArray();
        if (rows.Length == 0)
        {
            return new FindingEvidence(2, Claim, [], "Not addressed: no dataset and model has both clean (eps = 0) and poisoned models.", false);
        }

        var multi = rows.Where(x => x.Cad.Length >= 2).ToArray();
        string[] numbers = [.. rows.Select(x => $"{x.Dataset}/{x.Model} (clean {Pct(x.Clean)}): CAD " + string.Join(", ", x.Cad.Select(c => $"eps {Levels.Percent(c.Rate)} {Points(c.Cad)}")))];
        if (multi.Length == 0)
        {
            return new FindingEvidence(2, Claim, numbers, "Not addressed: every dataset and model has a single poisoning rate, so no trend in eps can be seen.", false);
        }

        int rising = multi.Count(x => x.Cad[^1].Cad > x.Cad[0].Cad);
        int monotone = multi.Count(x => x.Cad.Zip(x.Cad.Skip(1)).All(p => p.Second.Cad >= p.First.Cad));
        return new FindingEvidence(2, Claim, numbers,
            $"CAD at the largest eps exceeds CAD at the smallest in {rising} of {multi.Length} dataset/model rows; it never decreases from one eps to the next in {monotone} of {multi.Length}.", true);
    }

    private static FindingEvidence ModelSize(IReadOnlyList<ExperimentResult> rows, AsrDefinition asr)
    {
        const string Claim = "large models with big capacities are more vulnerable";
        var datasets = rows.GroupBy(r => r.Spec.Dataset).Select(d => (Dataset: d.Key, Models: d.GroupBy(r => r.Spec.Model)
            .Select(m => (Model: m.Key, Parameters: m.Max(r => r.TotalParameters), Asr: Mean(m, asr))).OrderBy(m => m.Parameters).ToArray()))
            .Where(d => d.Models.Length >= 2).ToArray();
        if (datasets.Length == 0)
        {
            return new FindingEvidence(3, Claim, [], "Not addressed: the study has one model per dataset, so it cannot relate model size to ASR.", false);
        }

        string[] numbers = [.. datasets.Select(d => $"{d.Dataset}, by total parameters: " + string.Join(", ", d.Models.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Model} ({m.Parameters:N0}) {Pct(m.Asr)}"))))];
        var sized = datasets.Where(d => d.Models[^1].Parameters > d.Models[^2].Parameters).ToArray();
        if (sized.Length == 0)
        {
            return new FindingEvidence(3, Claim, numbers, "Not addressed: no dataset has one model with more parameters than every other.", false);
        }

        int largestHighest = sized.Count(d => d.Models[..^1].All(m => m.Asr < d.Models[^1].Asr - Tie));
        return new FindingEvidence(3, Claim, numbers,
            $"The model with the most parameters has a higher mean ASR than every other model in {largestHighest} of {sized.Length} datasets.", true);
    }

    private static FindingEvidence BestPlacement(IReadOnlyList<ExperimentResult> rows, AsrDefinition asr)
    {
        const string Claim = "no position or color gives the most effective backdoor universally";
        var best = PlacementMeans(StudyResults.Placed(rows), asr, r => $"{r.Spec.Trigger!.Position} {Levels.ColorName(r.Spec.Trigger.Color)}").ToArray();
        if (best.Length == 0)
        {
            return new FindingEvidence(4, Claim, [], "Not addressed: no dataset and model crosses two or more positions or colors at a common trigger size and rate.", false);
        }

        string[] numbers = [.. best.Select(b => b.Means[0].Asr - b.Means[^1].Asr < Tie
            ? $"{b.Dataset}/{b.Model}: all {b.Means.Count} positions and colors tie at {Pct(b.Means[0].Asr)} ({b.Levels})"
            : $"{b.Dataset}/{b.Model}: best {string.Join(" = ", Best(b.Means))} {Pct(b.Means[0].Asr)}, worst {b.Means[^1].Level} {Pct(b.Means[^1].Asr)} ({b.Levels})")];
        HashSet<string> everywhere = [.. Best(best[0].Means)];
        foreach (var b in best.Skip(1))
        {
            everywhere.IntersectWith(Best(b.Means));
        }

        string reading = best.Length == 1
            ? "One dataset and model only: universality cannot be tested."
            : everywhere.Count == 1
                ? $"{everywhere.First()} is among the best in all {best.Length} dataset/model rows."
                : everywhere.Count > 1
                ? $"{everywhere.Count} positions and colors ({string.Join(", ", everywhere.Order(StringComparer.Ordinal))}) are among the best in all {best.Length} dataset/model rows."
                : $"No position and color is among the best in all {best.Length} dataset/model rows.";
        return new FindingEvidence(4, Claim, numbers, reading, best.Length > 1);

        static IEnumerable<string> Best(IReadOnlyList<(string Level, double Asr)> means) => means.Where(m => m.Asr > means[0].Asr - Tie).Select(m => m.Level);
    }

    private static FindingEvidence Positions(IReadOnlyList<ExperimentResult> rows, IReadOnlyList<ImportanceRow> importance, AsrDefinition asr)
    {
        const string Claim = "ASR varies with the trigger position (the paper reads this as CNNs using absolute spatial location)";
        var byPosition = PlacementMeans(StudyResults.Placed(rows), asr, r => r.Spec.Trigger!.Position, r => r.Spec.Trigger!.Color).Where(b => b.Means.Count >= 2).ToArray();
        if (byPosition.Length == 0)
        {
            return new FindingEvidence(5, Claim, [], "Not addressed: no dataset and model crosses two or more positions at a common trigger size, rate and color.", false);
        }

        var numbers = byPosition.Select(b => $"{b.Dataset}/{b.Model}: " + string.Join(", ", b.Means.Select(m => $"{m.Level} {Pct(m.Asr)}")) + $" ({b.Levels})").ToList();
        numbers.AddRange(importance.Where(r => r.Term.Split(" x ").Contains("position") && r.Estimable)
            .Select(r => $"{r.Scope}: {r.Term} explains {Pct(r.EtaSquared)} of the ASR variance"));
        double spread = byPosition.Max(b => b.Means[0].Asr - b.Means[^1].Asr);
        return new FindingEvidence(5, Claim, numbers,
            $"Mean ASR differs by up to {string.Create(CultureInfo.InvariantCulture, $"{100 * spread:0.00}")} points between positions; these numbers do not separate absolute location from what each position covers in the images.", true);
    }

    private static FindingEvidence SizeAndRate(IReadOnlyList<ImportanceRow> importance)
    {
        const string Claim = "trigger size contributes more to ASR than the poisoning rate";
        var scopes = importance.Select(r => r.Scope).Distinct().Select(scope => (
            Scope: scope,
            Size: importance.FirstOrDefault(r => r.Scope == scope && r.Term == "size"),
            Rate: importance.FirstOrDefault(r => r.Scope == scope && r.Term == "rate"))).ToArray();
        var both = scopes.Where(s => s.Size is { Estimable: true } && s.Rate is { Estimable: true }).ToArray();
        if (both.Length == 0)
        {
            return new FindingEvidence(6, Claim, [], "Not addressed: the study does not vary both trigger size and poisoning rate in a way the variance decomposition can separate.", false);
        }

        string[] numbers = [.. both.Select(s => $"{s.Scope}: eta squared of size {Pct(s.Size!.EtaSquared)}{Interval(s.Size)}, of rate {Pct(s.Rate!.EtaSquared)}{Interval(s.Rate)}")];
        int sizeMore = both.Count(s => s.Size!.EtaSquared > s.Rate!.EtaSquared);
        int separated = both.Count(s => s.Size!.Lower > s.Rate!.Upper || s.Rate.Lower > s.Size.Upper);
        return new FindingEvidence(6, Claim, numbers,
            $"Size explains more ASR variance than rate in {sizeMore} of {both.Length} scopes; the 95 % intervals over repetitions do not overlap in {separated} of {both.Length}.", true);

        static string Interval(ImportanceRow r) => double.IsNaN(r.Lower) ? string.Empty : $" (95 % {Pct(r.Lower)} - {Pct(r.Upper)})";
    }

    /// <summary>
    /// Per dataset and model, the mean ASR of each placement level, averaged over the (size, rate[, extra]) cells that
    /// every level of that dataset and model was run at, so unbalanced blocks compare like with like; best first.
    /// </summary>
    private static IEnumerable<(string Dataset, string Model, IReadOnlyList<(string Level, double Asr)> Means, string Levels)> PlacementMeans(
        IReadOnlyList<ExperimentResult> rows, AsrDefinition asr, Func<ExperimentResult, string> level, Func<ExperimentResult, string>? extra = null)
    {
        string[] datasets = Reporting.Levels.Datasets(rows.Select(r => r.Spec.Dataset));
        foreach (var group in rows.GroupBy(r => (r.Spec.Dataset, r.Spec.Model)).OrderBy(g => Array.IndexOf(datasets, g.Key.Dataset)).ThenBy(g => g.Key.Model, StringComparer.Ordinal))
        {
            var byLevel = group.GroupBy(level).ToArray();
            if (byLevel.Length < 2)
            {
                continue;
            }

            string Common(ExperimentResult r) => string.Create(CultureInfo.InvariantCulture, $"{r.Spec.Trigger!.Size}|{r.Spec.PoisoningRate}|{extra?.Invoke(r)}");
            HashSet<string> common = [.. byLevel[0].Select(Common)];
            foreach (var l in byLevel.Skip(1))
            {
                common.IntersectWith(l.Select(Common));
            }

            if (common.Count == 0)
            {
                continue;
            }

            (string Level, double Asr)[] means = [.. byLevel.Select(l => (l.Key, Mean(l.Where(r => common.Contains(Common(r))), asr)))
                .OrderByDescending(m => m.Item2).ThenBy(m => m.Key, StringComparer.Ordinal)];
            var cells = group.Where(r => common.Contains(Common(r))).Select(r => (r.Spec.Trigger!.Size, r.Spec.PoisoningRate)).Distinct().ToArray();
            string description = cells.Length == 1
                ? $"size {Reporting.Levels.Percent(cells[0].Size)}, eps {Reporting.Levels.Percent(cells[0].PoisoningRate)}"
                : $"mean over {cells.Length} common size x rate cells";
            yield return (group.Key.Dataset, group.Key.Model, means, description);
        }
    }

    private static double Mean(IEnumerable<ExperimentResult> rows, AsrDefinition asr) => rows.Select(r => Asr.Of(r, asr)!.Value).DefaultIfEmpty(double.NaN).Average();

    private static string Compare(double a, double b) => a > b ? "higher" : a < b ? "lower" : "the same";

    private static string Pct(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{100 * fraction:0.0} %");

    private static string Points(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{100 * fraction:+0.00;-0.00;0.00} points");
}
