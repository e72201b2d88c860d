using System.Globalization;
using System.Text;
using BackdoorKit.Experiments;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace BackdoorKit.Reporting.Importance;

/// <summary>
/// Decomposes the variance of ASR over the study into the main effects of trigger size, poisoning rate, position, color,
/// model and dataset (and trigger family, poisoner and label mode where a study sweeps them) and their two-way interactions: eta squared (a term's sum of squares over the total) from
/// least-squares fits of dummy-coded linear models. Main effects use Type II sums of squares among the main effects
/// (the residual sum of squares gained by adding the factor last); interactions, the gain of adding the interaction to
/// the model with every main effect and every other interaction. A term whose factors the design does not cross (it
/// adds no rank) is reported as not estimable. The 95 % interval is a Student-t interval of the per-repetition
/// estimates. Only factors with at least two levels in a scope enter it.
/// </summary>
public static class ParameterImportance
{
    /// <summary>Gets the factors, in report order.</summary>
    public static IReadOnlyList<string> Factors { get; } = ["size", "rate", "position", "color", "model", "dataset", "family", "poisoner", "label mode"];

    /// <summary>Computes the decomposition over all backdoored results of the main matrix, and per dataset when there are several.</summary>
    /// <param name="results">The results.</param>
    /// <param name="asr">The ASR definition whose variance is decomposed.</param>
    /// <returns>One row per scope and term, terms by decreasing eta squared.</returns>
    public static IReadOnlyList<ImportanceRow> Compute(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget)
    {
        ArgumentNullException.ThrowIfNull(results);
        return Decompose([.. StudyResults.Backdoored(results, asr)], r => Asr.Of(r, asr)!.Value);
    }

    /// <summary>
    /// Computes the same decomposition for any number the backdoored results of the main matrix hold, such as a defense
    /// metric (<c>r =&gt; r.Metrics["strip.auroc"]</c>); results whose value is NaN are left out.
    /// </summary>
    /// <param name="results">The results.</param>
    /// <param name="value">The number whose variance is decomposed.</param>
    /// <returns>One row per scope and term, terms by decreasing eta squared.</returns>
    public static IReadOnlyList<ImportanceRow> ComputeFor(IEnumerable<ExperimentResult> results, Func<ExperimentResult, double> value)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(value);
        return Decompose([.. StudyResults.Backdoored(results).Where(r => !double.IsNaN(value(r)))], value);
    }

    private static IReadOnlyList<ImportanceRow> Decompose(ExperimentResult[] backdoored, Func<ExperimentResult, double> value)
    {
        var scopes = new List<(string Name, ExperimentResult[] Rows)> { ("all", backdoored) };
        string[] datasets = [.. backdoored.Select(r => r.Spec.Dataset).Distinct().Order(StringComparer.Ordinal)];
        if (datasets.Length > 1)
        {
            scopes.AddRange(datasets.Select(d => (d, backdoored.Where(r => r.Spec.Dataset == d).ToArray())));
        }

        var rows = new List<ImportanceRow>();
        foreach ((string scope, ExperimentResult[] scopeRows) in scopes)
        {
            if (scopeRows.Length < 3)
            {
                continue;
            }

            IReadOnlyDictionary<string, double> point = EtaSquared(scopeRows, value);
            var perRepetition = scopeRows.GroupBy(r => r.Spec.Repetition)
                .Select(g => g.ToArray()).Where(g => g.Length >= 3).Select(g => EtaSquared(g, value)).ToArray();
            foreach ((string term, double eta) in point.OrderByDescending(p => double.IsNaN(p.Value) ? -1 : p.Value))
            {
                double[] samples = [.. perRepetition.Select(p => p.TryGetValue(term, out double v) ? v : double.NaN).Where(v => !double.IsNaN(v))];
                (double lower, double upper) = Interval(samples);
                rows.Add(new ImportanceRow(scope, term, eta, lower, upper, samples.Length, !double.IsNaN(eta)));
            }
        }

        return rows;
    }

    /// <summary>Writes the rows as CSV (invariant culture, empty cells for NaN).</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The CSV text.</returns>
    public static string ToCsv(IEnumerable<ImportanceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder("scope,term,etaSquared,lower95,upper95,repetitions,estimable\r\n");
        foreach (ImportanceRow r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Scope},{r.Term},{Number(r.EtaSquared)},{Number(r.Lower)},{Number(r.Upper)},{r.Repetitions},{(r.Estimable ? "true" : "false")}\r\n");
        }

        return text.ToString();

        static string Number(double v) => double.IsNaN(v) ? string.Empty : v.ToString("0.#####", CultureInfo.InvariantCulture);
    }

    /// <summary>Computes eta squared of every estimable main effect and two-way interaction, and the residual.</summary>
    internal static IReadOnlyDictionary<string, double> EtaSquared(IReadOnlyList<ExperimentResult> rows, Func<ExperimentResult, double> value)
    {
        double[] y = [.. rows.Select(value)];
        double mean = y.Average();
        double total = y.Sum(v => (v - mean) * (v - mean));
        var columns = new Dictionary<string, List<double[]>>(StringComparer.Ordinal);
        string[] varying = [.. Factors.Where(f => rows.Select(r => Level(r, f)).Distinct().Count() > 1)];
        foreach (string factor in varying)
        {
            string[] levels = [.. rows.Select(r => Level(r, factor)).Distinct().Order(StringComparer.Ordinal)];
            columns[factor] = [.. levels.Skip(1).Select(level => rows.Select(r => Level(r, factor) == level ? 1.0 : 0.0).ToArray())];
        }

        string[] interactions = [.. varying.SelectMany((a, i) => varying.Skip(i + 1).Select(b => $"{a} x {b}"))];
        foreach (string term in interactions)
        {
            string[] pair = term.Split(" x ");
            columns[term] = [.. columns[pair[0]].SelectMany(a => columns[pair[1]].Select(b => a.Zip(b, (u, v) => u * v).ToArray()))];
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (total <= 0)
        {
            return result;
        }

        (double mainRss, int mainRank) = Fit(y, varying.SelectMany(f => columns[f]));
        foreach (string factor in varying)
        {
            (double rss, int rank) = Fit(y, varying.Where(f => f != factor).SelectMany(f => columns[f]));
            result[factor] = rank < mainRank ? Math.Max(0, rss - mainRss) / total : double.NaN;
        }

        string[] all = [.. varying, .. interactions];
        (double fullRss, int fullRank) = Fit(y, all.SelectMany(t => columns[t]));
        foreach (string term in interactions)
        {
            (double rss, int rank) = Fit(y, all.Where(t => t != term).SelectMany(t => columns[t]));
            result[term] = rank < fullRank ? Math.Max(0, rss - fullRss) / total : double.NaN;
        }

        result["residual"] = fullRss / total;
        return result;
    }

    // Least squares through the normal equations: X'X is only (terms x terms), so a study of thousands of models needs
    // one small SVD per fit instead of an SVD of X with its rows x rows factor. Directions whose singular value is
    // negligible (terms the design does not cross) are dropped, which gives the minimum-norm solution and the rank.
    private static (double Rss, int Rank) Fit(double[] y, IEnumerable<double[]> columns)
    {
        double[][] all = [Enumerable.Repeat(1.0, y.Length).ToArray(), .. columns];
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays(all);
        Vector<double> target = Vector<double>.Build.DenseOfArray(y);
        Vector<double> moment = x.TransposeThisAndMultiply(target);
        var svd = x.TransposeThisAndMultiply(x).Svd(computeVectors: true);
        double tolerance = svd.S[0] * all.Length * 1e-12;
        Vector<double> projected = svd.U.TransposeThisAndMultiply(moment);
        int rank = 0;
        for (int i = 0; i < projected.Count; i++)
        {
            bool kept = svd.S[i] > tolerance;
            projected[i] = kept ? projected[i] / svd.S[i] : 0;
            rank += kept ? 1 : 0;
        }

        Vector<double> coefficients = svd.VT.TransposeThisAndMultiply(projected);
        return (Math.Max(0, target.DotProduct(target) - coefficients.DotProduct(moment)), rank);
    }

    private static (double Lower, double Upper) Interval(double[] samples)
    {
        if (samples.Length < 2)
        {
            return (double.NaN, double.NaN);
        }

        Summary s = Summary.Of(samples);
        double half = StudentT.InvCDF(0, 1, samples.Length - 1, 0.975) * s.StandardDeviation / Math.Sqrt(samples.Length);
        return (Math.Max(0, s.Mean - half), Math.Min(1, s.Mean + half));
    }

    private static string Level(ExperimentResult r, string factor) => factor switch
    {
        "size" => r.Spec.Trigger!.Size.ToString("R", CultureInfo.InvariantCulture),
        "rate" => r.Spec.PoisoningRate.ToString("R", CultureInfo.InvariantCulture),
        "position" => r.Spec.Trigger!.Position,
        "color" => r.Spec.Trigger!.Color,
        "model" => r.Spec.Model,
        "dataset" => r.Spec.Dataset,
        "family" => r.Spec.Trigger!.Family ?? KnownTriggerFactories.Patch.Name,
        "poisoner" => r.Spec.Poisoner ?? Poisoning.KnownPoisoners.DirtyLabel.Name,
        "label mode" => Poisoning.LabelModes.ToName(r.Spec.LabelMode),
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, "unknown factor"),
    };
}
