using System.Globalization;
using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>
/// The flat schema of failed experiments (docs/results-schema.md): the experiment's factors, then what went wrong.
/// Used by CSV exports of failures.
/// </summary>
public static class FailureColumns
{
    /// <summary>Gets the columns in order: name and how to read it from a failure.</summary>
    public static IReadOnlyList<(string Name, Func<ExperimentFailure, object?> Value)> All { get; } =
    [
        ("experimentId", f => f.ExperimentId),
        ("dataset", f => f.Spec.Dataset),
        ("model", f => f.Spec.Model),
        ("freezeStrategy", f => f.Spec.FreezeStrategy),
        ("protocol", f => f.Spec.Protocol),
        ("block", f => f.Spec.Block),
        ("triggerSize", f => f.Spec.Trigger?.Size),
        ("position", f => f.Spec.Trigger?.Position),
        ("color", f => f.Spec.Trigger?.Color),
        ("poisoningRate", f => f.Spec.PoisoningRate),
        ("repetition", f => f.Spec.Repetition),
        ("seed", f => f.Spec.Seed),
        ("errorType", f => f.ErrorType),
        ("message", f => f.Message),
        ("durationSeconds", f => f.DurationSeconds),
        ("device", f => f.Device),
        ("threads", f => f.Threads),
        ("backdoorKitVersion", f => f.BackdoorKitVersion),
        ("torchSharpVersion", f => f.TorchSharpVersion),
        ("failedAt", f => f.FailedAt.ToString("o", CultureInfo.InvariantCulture)),
    ];
}
