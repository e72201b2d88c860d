using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting;

/// <summary>Splits a study's results into the main matrix and the freeze-index study, the way the reports use them.</summary>
public static class StudyResults
{
    /// <summary>The prefix of the freeze strategies of the freeze-index study (<c>freeze-first-k</c>).</summary>
    public const string FreezeFirstPrefix = "freeze-first-";

    /// <summary>Gets the results of the main matrix: every freeze strategy but <c>freeze-first-k</c>.</summary>
    /// <param name="results">All results.</param>
    /// <returns>The main matrix's results.</returns>
    public static IReadOnlyList<ExperimentResult> Main(IEnumerable<ExperimentResult> results) =>
        [.. results.Where(r => !r.Spec.FreezeStrategy.StartsWith(FreezeFirstPrefix, StringComparison.Ordinal))];

    /// <summary>Gets the backdoored results of the main matrix: those with a trigger and an ASR under the definition.</summary>
    /// <param name="results">All results.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The main matrix's backdoored results.</returns>
    public static IReadOnlyList<ExperimentResult> Backdoored(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget) =>
        [.. Main(results).Where(r => r.Spec.Trigger is not null && Asr.Of(r, asr) is not null)];

    /// <summary>Gets the backdoored results of the freeze-index study with their frozen-tensor count k.</summary>
    /// <param name="results">All results.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The freeze study's backdoored results and their k.</returns>
    public static IReadOnlyList<(int Frozen, ExperimentResult Result)> FreezeStudy(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget) =>
        [.. results
            .Where(r => Asr.Of(r, asr) is not null && r.Spec.FreezeStrategy.StartsWith(FreezeFirstPrefix, StringComparison.Ordinal))
            .Select(r => (int.Parse(r.Spec.FreezeStrategy.AsSpan(FreezeFirstPrefix.Length), System.Globalization.CultureInfo.InvariantCulture), r))];
}
