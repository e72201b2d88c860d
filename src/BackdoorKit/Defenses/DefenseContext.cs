using BackdoorKit.Data;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>What a defense may look at: a trained model, the clean test set it was measured on, the real trigger (to score detection) and where to compute.</summary>
/// <param name="Model">The trained model; defenses must leave it as they found it.</param>
/// <param name="Test">The clean test set (native images).</param>
/// <param name="Transform">Turns native images into the model's input.</param>
/// <param name="Trigger">The experiment's trigger, or null for a clean model with no trigger to test.</param>
/// <param name="TargetClass">The backdoor's target class.</param>
/// <param name="Seed">The seed of every random choice the defense makes.</param>
/// <param name="Device">Where the model is.</param>
/// <param name="Training">
/// The training set as the model saw it (poisoned rows carry the trigger and the target label; its
/// <see cref="PoisonedDataset.PoisonedIndices"/> are the ground truth data-inspection defenses are scored against), or null
/// when unknown.
/// </param>
public sealed record DefenseContext(
    BackdoorModel Model,
    ImageDataset Test,
    ModelInputTransform Transform,
    ITrigger? Trigger,
    int TargetClass,
    int Seed,
    Device Device,
    PoisonedDataset? Training = null)
{
    /// <summary>
    /// Gets which label the backdoor maps triggered inputs to: the target class (default) or, all-to-all, the next class.
    /// Target-class measures (Neural Cleanse's and Activation Clustering's target flags) are NaN for all-to-all attacks,
    /// which have no single target.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Poisoning.LabelMode"/>.</exception>
    public LabelMode LabelMode
    {
        get;
        init => field = LabelModes.Defined(value, nameof(LabelMode));
    }

    /// <summary>
    /// Gets how to train the experiment's model again, from its initial weights with the same seeds, on
    /// <see cref="Training"/> without some of its rows, and evaluate it on the clean and triggered test sets: what a
    /// data-inspection defense does with the rows it flagged. The runner sets it; null where no retraining is possible.
    /// </summary>
    public Func<IReadOnlyCollection<int>, CancellationToken, EvaluationOutcome>? Retrain { get; init; }
}
