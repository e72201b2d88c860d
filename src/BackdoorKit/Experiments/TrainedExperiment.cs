using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Training;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>
/// A model trained from an <see cref="ExperimentSpec"/> by <see cref="ExperimentRunner.Train"/>, with what is needed to
/// evaluate or explain it: the model-input transform, the (limited) clean test set and the trigger. Dispose it to free
/// the model and the test set.
/// </summary>
public sealed class TrainedExperiment : IDisposable
{
    internal TrainedExperiment(
        ExperimentSpec spec,
        StudyProtocol protocol,
        BackdoorModel model,
        ModelInputTransform transform,
        ImageDataset test,
        ITrigger? trigger,
        TriggerGeometry? triggerGeometry,
        TrainingSummary training,
        ImageDataset trainingSet,
        IReadOnlyList<int> poisonedIndices,
        Features.PrefixFeatures? features = null,
        Features.FeatureCacheStatus featureCache = Features.FeatureCacheStatus.Off)
    {
        PrefixFeatures = features;
        FeatureCache = featureCache;
        Spec = spec;
        Protocol = protocol;
        Model = model;
        Transform = transform;
        Test = test;
        Trigger = trigger;
        TriggerGeometry = triggerGeometry;
        Training = training;
        TrainingSet = trainingSet;
        PoisonedIndices = poisonedIndices;
    }

    /// <summary>Gets the spec the model was trained from.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>Gets the spec's protocol.</summary>
    public StudyProtocol Protocol { get; }

    /// <summary>Gets the trained model, in evaluation mode on the runner's device; it belongs to this object.</summary>
    public BackdoorModel Model { get; }

    /// <summary>Gets the transform that turns native images into the model's input.</summary>
    public ModelInputTransform Transform { get; }

    /// <summary>Gets the clean test set (the first <see cref="ExperimentSpec.TestLimit"/> samples); it belongs to this object.</summary>
    public ImageDataset Test { get; }

    /// <summary>Gets the trigger of the spec, or null for a spec without one.</summary>
    public ITrigger? Trigger { get; }

    /// <summary>Gets where the trigger lies on its canvas, or null without a trigger.</summary>
    public TriggerGeometry? TriggerGeometry { get; }

    /// <summary>Gets the training summary (final loss, steps, duration).</summary>
    public TrainingSummary Training { get; }

    /// <summary>Gets the number of training samples used.</summary>
    public int TrainSamples => TrainingSet.Count;

    /// <summary>Gets the number of poisoned training samples.</summary>
    public int PoisonedCount => PoisonedIndices.Count;

    /// <summary>
    /// Gets the clean training samples the experiment used (the first <see cref="ExperimentSpec.TrainLimit"/>, native
    /// images); it belongs to this object. <see cref="PoisonedTrainingSet"/> gives the training set as the model saw it.
    /// </summary>
    public ImageDataset TrainingSet { get; }

    /// <summary>Gets the rows of <see cref="TrainingSet"/> that carried the trigger, ascending; empty for a clean model.</summary>
    public IReadOnlyList<int> PoisonedIndices { get; }

    /// <summary>Gets the rows of <see cref="TrainingSet"/> that carried <see cref="CoverTrigger"/> with their clean labels (WaNet's noise mode), ascending; usually empty.</summary>
    public IReadOnlyList<int> CoverIndices { get; internal init; } = [];

    /// <summary>Gets the trigger drawn on <see cref="CoverIndices"/>, or null.</summary>
    public ITrigger? CoverTrigger { get; internal init; }

    /// <summary>
    /// Rebuilds the training set as the model saw it: <see cref="PoisonedIndices"/> with the trigger and their poisoned
    /// labels, <see cref="CoverIndices"/> with the cover trigger. For a clean model no row is poisoned (the trigger drawn
    /// is then a placeholder that no row carries).
    /// </summary>
    /// <returns>A view of <see cref="TrainingSet"/>; the caller disposes it before this object.</returns>
    public PoisonedDataset PoisonedTrainingSet()
    {
        var view = new PoisonedDataset(TrainingSet, Trigger ?? NoTrigger, Spec.TargetClass, PoisonedIndices, labelMode: Spec.LabelMode);
        if (CoverTrigger is null)
        {
            return view;
        }

        using (view)
        {
            return view.WithCover(CoverTrigger, CoverIndices);
        }
    }

    /// <summary>Gets how training used the feature cache (evaluation may still add misses).</summary>
    public Features.FeatureCacheStatus FeatureCache { get; }

    /// <summary>Gets the cached prefix features the model was trained on, or null when it trained on images.</summary>
    internal Features.PrefixFeatures? PrefixFeatures { get; }

    /// <summary>Gets a placeholder trigger for views of a clean training set, on which no row carries it.</summary>
    internal static ITrigger NoTrigger { get; } = new PatchTrigger(new PatchTriggerOptions());

    /// <summary>Frees the model, the test set and the training set.</summary>
    public void Dispose()
    {
        Model.Dispose();
        Test.Dispose();
        TrainingSet.Dispose();
    }
}
