using BackdoorKit.Data;
using BackdoorKit.Features;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using Microsoft.Extensions.Logging;

namespace BackdoorKit.Experiments;

/// <summary>
/// Measures a trained model the way <see cref="ExperimentRunner"/> does: its predictions on the clean test set and, with a
/// trigger, on every test image carrying the trigger (target-class images included, so both ASR definitions can be
/// computed). Any <see cref="IMetric"/> (built-in or your own) then scores the outcome.
/// </summary>
/// <example>
/// <code>
/// var evaluator = new ModelEvaluator(TrainingOptions.Default);
/// EvaluationOutcome outcome = evaluator.Evaluate(model, test, transform, trigger, targetClass: 0);
/// IReadOnlyDictionary&lt;string, double&gt; scores = ModelEvaluator.Score(outcome, [KnownMetrics.CleanAccuracy, myMetric]);
/// </code>
/// </example>
public sealed class ModelEvaluator
{
    private readonly ModelTrainer predictor;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="training">The training options; their evaluation batch size is used.</param>
    /// <param name="compute">The device and threads, or null for <see cref="ComputeOptions.Default"/>.</param>
    /// <param name="logger">Receives the predictor's log lines, or null.</param>
    public ModelEvaluator(TrainingOptions training, ComputeOptions? compute = null, ILogger<ModelTrainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        predictor = new ModelTrainer(training, compute, logger);
    }

    /// <summary>Predicts the clean test set and, with a trigger, the triggered test set.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="test">The clean test set.</param>
    /// <param name="transform">Turns its images into model input.</param>
    /// <param name="trigger">The trigger, or null for a clean model (no triggered predictions).</param>
    /// <param name="targetClass">The attack's target class.</param>
    /// <param name="labelMode">Which label a triggered sample should take: the target class (default) or the next class.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The labels and predictions.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public EvaluationOutcome Evaluate(
        BackdoorModel model,
        ImageDataset test,
        ModelInputTransform transform,
        ITrigger? trigger,
        int targetClass,
        LabelMode labelMode = LabelMode.AllToOne,
        CancellationToken cancellationToken = default) =>
        Evaluate(model, test, transform, trigger, targetClass, labelMode, null, cancellationToken);

    /// <summary>Scores an outcome with metrics, by metric name.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <param name="metrics">The metrics.</param>
    /// <returns>Each metric's value under its <see cref="IMetric.Name"/>.</returns>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public static IReadOnlyDictionary<string, double> Score(EvaluationOutcome outcome, IEnumerable<IMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(metrics);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (IMetric metric in metrics)
        {
            if (!scores.TryAdd(metric.Name, metric.Compute(outcome)))
            {
                throw new ArgumentException($"two metrics are named '{metric.Name}'; names must be unique.", nameof(metrics));
            }
        }

        return scores;
    }

    /// <summary>Evaluates on cached prefix features where the runner has them.</summary>
    internal EvaluationOutcome Evaluate(
        BackdoorModel model,
        ImageDataset test,
        ModelInputTransform transform,
        ITrigger? trigger,
        int targetClass,
        LabelMode labelMode,
        PrefixFeatures? features,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(transform);
        long[] cleanLabels = test.LabelArray();
        long[] cleanPredictions;
        using (FeatureBatchSource? cached = features?.Clean(test, "test"))
        {
            cleanPredictions = predictor.Predict(model, cached ?? (IBatchSource)DatasetBatchSource.FromClean(test, transform), cancellationToken);
        }

        long[] triggeredLabels = [], triggeredPredictions = [], triggeredTargets = [];
        if (trigger is not null)
        {
            using PoisonedDataset attack = AttackTestSet.Create(test, trigger, targetClass, includeTargetClass: true, labelMode);
            using FeatureBatchSource? cached = features?.Poisoned(attack, "test");
            triggeredLabels = cleanLabels;
            triggeredTargets = attack.Labels.data<long>().ToArray();
            triggeredPredictions = predictor.Predict(model, cached ?? (IBatchSource)DatasetBatchSource.FromPoisoned(attack, transform), cancellationToken);
        }

        return new EvaluationOutcome(cleanLabels, cleanPredictions, triggeredLabels, triggeredPredictions, targetClass, triggeredTargets);
    }
}
