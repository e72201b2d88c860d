using BackdoorKit.Data;
using BackdoorKit.Metrics;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// The representations data-inspection defenses look at: the input of the model's head (the penultimate layer's
/// output, flattened) for every training row, poisoned rows with their trigger, captured by a forward hook on the head.
/// </summary>
internal static class Representations
{
    /// <summary>Returns the context's training set, which data-inspection defenses need.</summary>
    /// <param name="context">The context.</param>
    /// <param name="defense">The defense asking, named when the context has none.</param>
    /// <returns>The training set as the model saw it.</returns>
    /// <exception cref="ArgumentException">The context has no training set.</exception>
    public static PoisonedDataset TrainingSet(DefenseContext context, string defense) => context.Training
        ?? throw new ArgumentException($"{defense} inspects the training set; the context has none.", nameof(context));

    /// <summary>
    /// Trains the model again without the flagged rows (<see cref="DefenseContext.Retrain"/>) and adds its
    /// <c>retrained-clean-accuracy</c> and <c>retrained-asr</c> (headline ASR; NaN for a clean model) to the metrics.
    /// </summary>
    /// <param name="metrics">The defense's metrics.</param>
    /// <param name="context">The context.</param>
    /// <param name="flagged">The flagged rows of the training set.</param>
    /// <param name="defense">The defense, named when the context cannot retrain.</param>
    /// <param name="cancellationToken">Stops the training.</param>
    /// <exception cref="InvalidOperationException">The context has no <see cref="DefenseContext.Retrain"/>.</exception>
    public static void AddRetrained(
        Dictionary<string, double> metrics, DefenseContext context, IReadOnlyCollection<int> flagged, string defense, CancellationToken cancellationToken)
    {
        Func<IReadOnlyCollection<int>, CancellationToken, EvaluationOutcome> retrain = context.Retrain
            ?? throw new InvalidOperationException($"{defense} trains the model again without the flagged rows, but the context cannot retrain (ExperimentRunner sets DefenseContext.Retrain).");
        EvaluationOutcome outcome = retrain(flagged, cancellationToken);
        metrics["retrained-clean-accuracy"] = KnownMetrics.CleanAccuracy.Compute(outcome);
        metrics["retrained-asr"] = context.Trigger is null ? double.NaN : KnownMetrics.AttackSuccessRate.Compute(outcome);
    }

    /// <summary>Computes the head inputs of every row of a training set, in row order.</summary>
    /// <param name="context">The model, transform and device.</param>
    /// <param name="training">The training set as the model saw it.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns><c>float32 [rows, features]</c> on the CPU; the caller disposes it.</returns>
    public static Tensor Of(DefenseContext context, PoisonedDataset training, int batchSize, CancellationToken cancellationToken)
    {
        string head = context.Model.Architecture.HeadModuleName;
        var module = context.Model.Module.named_modules().FirstOrDefault(m => m.name == head).module as nn.Module<Tensor, Tensor>
            ?? throw new InvalidOperationException($"{context.Model.Name} has no head module '{head}' that maps one tensor to one tensor.");
        var source = DatasetBatchSource.FromPoisoned(training, context.Transform);
        var parts = new List<Tensor>();
        Tensor? captured = null;
        var remover = module.register_forward_hook((_, input, output) =>
        {
            captured?.Dispose();
            captured = input.flatten(1).cpu().DetachFromDisposeScope();
            return output;
        });
        bool wasTraining = context.Model.Module.training;
        context.Model.SetTrainingMode(false);
        try
        {
            for (long start = 0; start < training.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                using Tensor indices = arange(start, Math.Min(training.Count, start + batchSize), dtype: ScalarType.Int64);
                (Tensor inputs, _) = source.GetBatch(indices, context.Device, null);
                context.Model.Forward(inputs);
                parts.Add(captured ?? throw new InvalidOperationException($"the head '{head}' of {context.Model.Name} did not run."));
                captured = null;
            }

            return cat(parts, 0);
        }
        finally
        {
            remover.remove();
            context.Model.SetTrainingMode(wasTraining);
            foreach (Tensor part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>The rows of each class (by the training labels the model saw), ascending.</summary>
    public static IReadOnlyDictionary<long, int[]> ByClass(PoisonedDataset training)
    {
        using Tensor cpu = training.Labels.cpu();
        long[] labels = cpu.data<long>().ToArray();
        return labels.Select((label, row) => (label, row)).GroupBy(x => x.label).ToDictionary(g => g.Key, g => g.Select(x => x.row).ToArray());
    }

    /// <summary>Scores flagged rows against the known poisoned rows: true and false positive rates (NaN without positives or negatives).</summary>
    public static (double Tpr, double Fpr) Rates(IReadOnlyCollection<int> flagged, PoisonedDataset training)
    {
        var poisoned = training.PoisonedIndices.ToHashSet();
        int truePositives = flagged.Count(poisoned.Contains);
        int clean = training.Count - poisoned.Count;
        return (
            poisoned.Count == 0 ? double.NaN : truePositives / (double)poisoned.Count,
            clean == 0 ? double.NaN : (flagged.Count - truePositives) / (double)clean);
    }
}
