using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Poisoning;

namespace BackdoorKit.Results;

/// <summary>
/// The flat, documented schema of stored results (docs/results-schema.md): one row per experiment, the same columns in
/// the SQLite table and in CSV exports. Clean baselines have rate 0 and empty trigger columns.
/// </summary>
public static class ResultColumns
{
    /// <summary>Gets the columns in order: name and how to read it from a result.</summary>
    public static IReadOnlyList<(string Name, Func<ExperimentResult, object?> Value)> All { get; } =
    [
        ("experimentId", r => r.ExperimentId),
        ("dataset", r => r.Spec.Dataset),
        ("model", r => r.Spec.Model),
        ("freezeStrategy", r => r.Spec.FreezeStrategy),
        ("protocol", r => r.Spec.Protocol),
        ("block", r => r.Spec.Block),
        ("triggerSize", r => r.Spec.Trigger?.Size),
        ("position", r => r.Spec.Trigger?.Position),
        ("color", r => r.Spec.Trigger?.Color),
        ("triggerFamily", r => r.Spec.Trigger is { } t ? t.Family ?? KnownTriggerFactories.Patch.Name : null),
        ("poisoningRate", r => r.Spec.PoisoningRate),
        ("poisoner", r => r.Spec.IsClean ? null : r.Spec.Poisoner ?? KnownPoisoners.DirtyLabel.Name),
        ("labelMode", r => r.Spec.IsClean ? null : LabelModes.ToName(r.Spec.LabelMode)),
        ("targetClass", r => r.Spec.TargetClass),
        ("repetition", r => r.Spec.Repetition),
        ("seed", r => r.Seed),
        ("cleanAccuracy", r => r.CleanAccuracy),
        ("attackSuccessRate", r => r.AttackSuccessRate),
        ("attackSuccessRateIncludingTarget", r => r.AttackSuccessRateIncludingTarget),
        ("triggerX", r => r.Trigger?.X),
        ("triggerY", r => r.Trigger?.Y),
        ("triggerWidth", r => r.Trigger?.Width),
        ("triggerHeight", r => r.Trigger?.Height),
        ("triggerCanvas", r => r.Trigger?.Canvas.ToString()),
        ("poisonedCount", r => r.PoisonedCount),
        ("trainSamples", r => r.TrainSamples),
        ("testSamples", r => r.TestSamples),
        ("inputSize", r => r.InputSize),
        ("epochs", r => r.Spec.Training.Epochs),
        ("batchSize", r => r.Spec.Training.BatchSize),
        ("learningRate", r => r.Spec.Training.LearningRate),
        ("optimizer", r => r.Spec.Training.Optimizer.ToString()),
        ("weights", r => r.WeightsSource),
        ("trainableParameters", r => r.TrainableParameters),
        ("totalParameters", r => r.TotalParameters),
        ("finalLoss", r => r.FinalLoss),
        ("trainSeconds", r => r.TrainSeconds),
        ("evaluationSeconds", r => r.EvaluationSeconds),
        ("durationSeconds", r => r.DurationSeconds),
        ("device", r => r.Device),
        ("threads", r => r.Threads),
        ("oneDnn", r => r.OneDnn),
        ("allocator", r => r.Allocator),
        ("cudaDevices", r => r.CudaDevices),
        ("tf32", r => r.Tf32 ? 1 : 0),
        ("backdoorKitVersion", r => r.BackdoorKitVersion),
        ("torchSharpVersion", r => r.TorchSharpVersion),
        ("finishedAt", r => r.FinishedAt.ToString("o", CultureInfo.InvariantCulture)),
    ];

    /// <summary>Formats a column value for CSV: invariant culture, round-trippable numbers, empty for null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text, quoted when it contains a comma, quote or line break.</returns>
    public static string FormatCsv(object? value)
    {
        string text = value switch
        {
            null => string.Empty,
            double d => double.IsNaN(d) ? string.Empty : d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
