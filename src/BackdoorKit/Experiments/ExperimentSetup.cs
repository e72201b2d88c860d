using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>
/// An experiment's components: what the names of an <see cref="ExperimentSpec"/> resolve to through a
/// <see cref="ComponentCatalog"/> before any data is read (the protocol, the dataset at the experiment's input size, the
/// architecture, the freeze strategy, the trigger, the poisoner and the model-input transform). The typed counterpart of
/// a spec; <see cref="ExperimentSpec.For"/> goes the other way.
/// </summary>
/// <param name="Protocol">The study protocol.</param>
/// <param name="Dataset">The dataset, with the resolved model-input size.</param>
/// <param name="Architecture">The model's factory.</param>
/// <param name="Freeze">The freeze strategy.</param>
/// <param name="Trigger">The trigger, or null for a clean baseline.</param>
/// <param name="Poisoner">The poisoner.</param>
/// <param name="Transform">Turns native images into model input.</param>
public sealed record ExperimentSetup(
    StudyProtocol Protocol,
    DatasetDescriptor Dataset,
    IModelFactory Architecture,
    IFreezeStrategy Freeze,
    ITrigger? Trigger,
    IPoisoner Poisoner,
    ModelInputTransform Transform)
{
    /// <summary>Resolves a spec's names.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="catalog">Where the names resolve.</param>
    /// <returns>The setup.</returns>
    /// <exception cref="ArgumentException">
    /// The spec names a dataset, model, freeze strategy, protocol, trigger family or poisoner the catalog does not know,
    /// or a position or color that does not parse.
    /// </exception>
    /// <exception cref="ModelWeightsException">The architecture's input normalization is defined by a file that cannot be read.</exception>
    public static ExperimentSetup Resolve(ExperimentSpec spec, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        StudyProtocol protocol = catalog.Protocols.Get(spec.Protocol);
        DatasetDescriptor known = catalog.Datasets.Get(spec.Dataset);
        var descriptor = new DatasetDescriptor(known.Name, known.Reader, InputSize(spec, catalog)) { SourceChannels = known.SourceChannels };
        ITrigger? trigger = spec.Trigger is { } t ? TriggerFactory(t, catalog).Create(t, protocol) : null;
        IModelFactory architecture = catalog.Models.Get(spec.Model);
        return new ExperimentSetup(
            protocol,
            descriptor,
            architecture,
            catalog.FreezeStrategies.Get(spec.FreezeStrategy),
            trigger,
            spec.Poisoner is { } poisoner ? catalog.Poisoners.Get(poisoner) : KnownPoisoners.DirtyLabel,
            ModelInputTransform.For(descriptor, protocol.Resize, protocol.Normalization, architecture.GetInputNormalization()));
    }

    /// <summary>Returns the side of an experiment's model input: its own, else its dataset's default.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="catalog">Where the dataset's name resolves.</param>
    /// <returns>The side in pixels.</returns>
    /// <exception cref="ArgumentException">The dataset is unknown.</exception>
    public static int InputSize(ExperimentSpec spec, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.InputSize ?? catalog.Datasets.Get(spec.Dataset).InputSize;
    }

    /// <summary>Returns the family that builds a trigger: its own, else the square patch.</summary>
    /// <param name="trigger">The trigger spec.</param>
    /// <param name="catalog">Where the family's name resolves.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException">The family is unknown.</exception>
    internal static ITriggerFactory TriggerFactory(TriggerSpec trigger, ComponentCatalog catalog) =>
        trigger.Family is { } family ? catalog.Triggers.Get(family) : KnownTriggerFactories.Patch;
}
