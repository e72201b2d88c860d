using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting;

/// <summary>
/// Splits a study's results into the main grid, the freeze study (strategies on a <see cref="FreezeDepth"/> axis) and
/// labelled blocks (<see cref="ExperimentSpec.Block"/>), the way the reports use them.
/// </summary>
public static class StudyResults
{
    /// <summary>
    /// Gets the results of the main grid: no block label (<see cref="ExperimentSpec.Block"/>) and a freeze strategy
    /// without a <see cref="FreezeDepth"/>.
    /// </summary>
    /// <param name="results">All results.</param>
    /// <returns>The main grid's results.</returns>
    public static IReadOnlyList<ExperimentResult> Main(IEnumerable<ExperimentResult> results) =>
        [.. results.Where(r => r.Spec.Block is null && !FreezeDepth.TryParse(r.Spec.FreezeStrategy, out _))];

    /// <summary>Gets the backdoored results of the main matrix: those with a trigger and an ASR under the definition.</summary>
    /// <param name="results">All results.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The main matrix's backdoored results.</returns>
    public static IReadOnlyList<ExperimentResult> Backdoored(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget) =>
        [.. Main(results).Where(r => r.Spec.Trigger is not null && Asr.Of(r, asr) is not null)];

    /// <summary>
    /// Gets the results whose trigger has a position and a color (not <see cref="TriggerSpec.NotUsed"/>, as for a blend or
    /// a warp): what position and color analyses (Table 3, Findings 4-5, position x color grids) compare.
    /// </summary>
    /// <param name="results">Results with triggers.</param>
    /// <returns>Those whose trigger is placed and colored.</returns>
    public static IReadOnlyList<ExperimentResult> Placed(IEnumerable<ExperimentResult> results) =>
        [.. results.Where(r => r.Spec.Trigger is { } t && t.Position != TriggerSpec.NotUsed && t.Color != TriggerSpec.NotUsed)];

    /// <summary>Gets the backdoored results of the freeze study with their place on the freeze-depth axis.</summary>
    /// <param name="results">All results.</param>
    /// <param name="asr">The ASR definition.</param>
    /// <returns>The freeze study's backdoored results and their depth.</returns>
    public static IReadOnlyList<(FreezeDepth Depth, ExperimentResult Result)> FreezeStudy(IEnumerable<ExperimentResult> results, AsrDefinition asr = AsrDefinition.ExcludingTarget) =>
        [.. results
            .Where(r => Asr.Of(r, asr) is not null)
            .Select(r => (Depth: FreezeDepth.TryParse(r.Spec.FreezeStrategy, out FreezeDepth? d) ? d : null, Result: r))
            .Where(x => x.Depth is not null)
            .Select(x => (x.Depth!, x.Result))];

    /// <summary>
    /// Gets what two experiments must share for their ASR to be compared across weights and freezing (Finding 1, the
    /// freeze-depth figure's from-scratch line): everything in the spec but the weights, the freeze strategy, the block
    /// and the repetition.
    /// </summary>
    /// <param name="spec">The experiment.</param>
    /// <returns>A key equal for experiments of the same setting.</returns>
    internal static object Setting(ExperimentSpec spec) =>
        (spec.Dataset, spec.Model, spec.Protocol, spec.InputSize, spec.TrainLimit, spec.TestLimit, spec.Training, spec.Trigger, spec.PoisoningRate, spec.TargetClass, spec.Poisoner, spec.LabelMode);
}
