using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>
/// What a spec resolves to before any data is read: the protocol, the dataset at the experiment's input size, the
/// architecture, the freeze strategy, the trigger and the model-input transform.
/// </summary>
/// <param name="Protocol">The study protocol.</param>
/// <param name="Dataset">The dataset, with the resolved model-input size.</param>
/// <param name="Architecture">The model's factory.</param>
/// <param name="Freeze">The freeze strategy.</param>
/// <param name="Trigger">The trigger, or null for a clean baseline.</param>
/// <param name="Transform">Turns native images into model input.</param>
internal sealed record ExperimentSetup(
    StudyProtocol Protocol,
    DatasetDescriptor Dataset,
    IModelFactory Architecture,
    IFreezeStrategy Freeze,
    PatchTrigger? Trigger,
    ModelInputTransform Transform)
{
    /// <summary>Resolves a spec's names.</summary>
    /// <param name="spec">The experiment.</param>
    /// <returns>The setup.</returns>
    /// <exception cref="ArgumentException">The spec names an unknown dataset, model, freeze strategy, protocol, position or color.</exception>
    public static ExperimentSetup Resolve(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        StudyProtocol protocol = KnownProtocols.Get(spec.Protocol);
        DatasetDescriptor known = KnownDatasets.Get(spec.Dataset);
        var descriptor = new DatasetDescriptor(known.Name, known.Reader, InputSize(spec)) { SourceChannels = known.SourceChannels };
        PatchTrigger? trigger = spec.Trigger is { } t
            ? protocol.CreateTrigger(t.Size, TriggerPositions.Parse(t.Position), TriggerColor.Parse(t.Color))
            : null;
        IModelFactory architecture = KnownModels.Get(spec.Model);
        return new ExperimentSetup(
            protocol,
            descriptor,
            architecture,
            KnownFreezeStrategies.Get(spec.FreezeStrategy),
            trigger,
            ModelInputTransform.For(descriptor, protocol.Resize, protocol.Normalization, architecture.GetInputNormalization()));
    }

    /// <summary>Returns the side of an experiment's model input: its own, else its dataset's default.</summary>
    /// <param name="spec">The experiment.</param>
    /// <returns>The side in pixels.</returns>
    /// <exception cref="ArgumentException">The dataset is unknown.</exception>
    public static int InputSize(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.InputSize ?? KnownDatasets.Get(spec.Dataset).InputSize;
    }
}
