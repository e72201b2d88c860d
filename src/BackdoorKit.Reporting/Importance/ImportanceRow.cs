namespace BackdoorKit.Reporting.Importance;

/// <summary>How much of the variance of ASR one term explains, in one scope (all datasets or one).</summary>
/// <param name="Scope">The scope: <c>all</c> or a dataset name.</param>
/// <param name="Term">A factor (<c>size</c>), a two-way interaction (<c>size x rate</c>) or <c>residual</c>.</param>
/// <param name="EtaSquared">The term's sum of squares over the total: the share of ASR variance it explains; NaN when not estimable.</param>
/// <param name="Lower">The lower end of the 95 % confidence interval over repetitions (NaN with fewer than 2).</param>
/// <param name="Upper">The upper end of that interval.</param>
/// <param name="Repetitions">The number of repetitions the interval comes from.</param>
/// <param name="Estimable">Whether the design crosses the term's factors, so its effect can be separated from the others'.</param>
public sealed record ImportanceRow(
    string Scope, string Term, double EtaSquared, double Lower, double Upper, int Repetitions, bool Estimable);
