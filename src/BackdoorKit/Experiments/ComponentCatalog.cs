using BackdoorKit.Data;
using BackdoorKit.Defenses;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;

namespace BackdoorKit.Experiments;

/// <summary>
/// The one place where the names in specs, matrices and command lines become components: datasets, models, freeze
/// strategies, protocols, trigger families, poisoners, metrics and defenses. <see cref="Default"/> holds what BackdoorKit ships
/// (the <c>Known*</c> classes); <c>Add</c> returns a copy that also knows a component of your own, which then works
/// everywhere a built-in one does (matrices, validation, the runner, estimates). With dependency injection,
/// <c>AddBackdoorKit()</c> builds the catalog from the registered components. Immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// ComponentCatalog catalog = ComponentCatalog.Default.Add(new MyModelFactory()).Add(new BlendTriggerFactory());
/// using var runner = new ExperimentRunner(new ExperimentRunnerOptions { Catalog = catalog });
/// </code>
/// </example>
public sealed class ComponentCatalog
{
    private ComponentCatalog(
        ComponentSet<DatasetDescriptor> datasets,
        ComponentSet<IModelFactory> models,
        ComponentSet<IFreezeStrategy> freezeStrategies,
        ComponentSet<StudyProtocol> protocols,
        ComponentSet<ITriggerFactory> triggers,
        ComponentSet<IPoisoner> poisoners,
        ComponentSet<IMetric> metrics,
        ComponentSet<IDefense> defenses)
    {
        Datasets = datasets;
        Models = models;
        FreezeStrategies = freezeStrategies;
        Protocols = protocols;
        Triggers = triggers;
        Poisoners = poisoners;
        Metrics = metrics;
        Defenses = defenses;
    }

    /// <summary>
    /// Gets the catalog of everything BackdoorKit ships: <see cref="KnownDatasets"/>, <see cref="KnownModels"/>,
    /// <see cref="KnownFreezeStrategies"/> (with <c>freeze-first-&lt;k&gt;</c>, <c>freeze-index-&lt;j&gt;</c> and
    /// <c>train-last-&lt;k&gt;-stages</c>), <see cref="KnownProtocols"/>, <see cref="KnownTriggerFactories"/> (with
    /// <c>sig-&lt;periods&gt;</c> and <c>wanet-&lt;grid&gt;</c>),
    /// <see cref="KnownPoisoners"/>, <see cref="KnownMetrics"/> and <see cref="KnownDefenses"/>.
    /// </summary>
    public static ComponentCatalog Default { get; } = new(
        new("dataset", d => d.Name, KnownDatasets.All),
        new("model", m => m.Name, KnownModels.All),
        new("freeze strategy", s => s.Name, KnownFreezeStrategies.All, FreezePatterns),
        new("protocol", p => p.Name, KnownProtocols.All),
        new("trigger family", t => t.Name, KnownTriggerFactories.All, TriggerPatterns),
        new("poisoner", p => p.Name, KnownPoisoners.All),
        new("metric", m => m.Name, KnownMetrics.Standard),
        new("defense", d => d.Name, KnownDefenses.All));

    private static IEnumerable<ComponentSet<IFreezeStrategy>.NamePattern> FreezePatterns =>
    [
        new("freeze-first-<k>", n => KnownFreezeStrategies.TryParseFreezeFirst(n, out int k) ? KnownFreezeStrategies.FreezeFirst(k) : null),
        new("freeze-index-<j>", n => KnownFreezeStrategies.TryParseFreezeIndex(n, out int j) ? KnownFreezeStrategies.FreezeIndex(j) : null),
        new("train-last-<k>-stages", n => KnownFreezeStrategies.TryParseTrainLastStages(n, out int k) ? KnownFreezeStrategies.TrainLastStages(k) : null),
    ];

    private static IEnumerable<ComponentSet<ITriggerFactory>.NamePattern> TriggerPatterns =>
    [
        new("sig-<periods>", KnownTriggerFactories.ParseSig),
        new("wanet-<grid>", KnownTriggerFactories.ParseWaNet),
    ];

    /// <summary>Gets the datasets, by <see cref="DatasetDescriptor.Name"/>.</summary>
    public ComponentSet<DatasetDescriptor> Datasets { get; }

    /// <summary>Gets the model architectures, by <see cref="IModelFactory.Name"/>.</summary>
    public ComponentSet<IModelFactory> Models { get; }

    /// <summary>Gets the freeze strategies, by <see cref="IFreezeStrategy.Name"/>, including parameterised names.</summary>
    public ComponentSet<IFreezeStrategy> FreezeStrategies { get; }

    /// <summary>Gets the study protocols, by <see cref="StudyProtocol.Name"/>.</summary>
    public ComponentSet<StudyProtocol> Protocols { get; }

    /// <summary>Gets the trigger families, by <see cref="ITriggerFactory.Name"/>.</summary>
    public ComponentSet<ITriggerFactory> Triggers { get; }

    /// <summary>Gets the poisoners, by <see cref="IPoisoner.Name"/>.</summary>
    public ComponentSet<IPoisoner> Poisoners { get; }

    /// <summary>Gets the metrics, by <see cref="IMetric.Name"/>.</summary>
    public ComponentSet<IMetric> Metrics { get; }

    /// <summary>Gets the defenses, by <see cref="IDefense.Name"/>.</summary>
    public ComponentSet<IDefense> Defenses { get; }

    /// <summary>Returns a copy that also knows a dataset.</summary>
    /// <param name="dataset">The dataset; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a dataset of that name.</exception>
    public ComponentCatalog Add(DatasetDescriptor dataset) => new(Datasets.Add(dataset), Models, FreezeStrategies, Protocols, Triggers, Poisoners, Metrics, Defenses);

    /// <summary>Returns a copy that also knows a model architecture.</summary>
    /// <param name="model">The architecture; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a model of that name.</exception>
    public ComponentCatalog Add(IModelFactory model) => new(Datasets, Models.Add(model), FreezeStrategies, Protocols, Triggers, Poisoners, Metrics, Defenses);

    /// <summary>Returns a copy that also knows a freeze strategy.</summary>
    /// <param name="strategy">The strategy; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a strategy of that name.</exception>
    public ComponentCatalog Add(IFreezeStrategy strategy) => new(Datasets, Models, FreezeStrategies.Add(strategy), Protocols, Triggers, Poisoners, Metrics, Defenses);

    /// <summary>Returns a copy that also knows a protocol.</summary>
    /// <param name="protocol">The protocol; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a protocol of that name.</exception>
    public ComponentCatalog Add(StudyProtocol protocol) => new(Datasets, Models, FreezeStrategies, Protocols.Add(protocol), Triggers, Poisoners, Metrics, Defenses);

    /// <summary>Returns a copy that also knows a trigger family.</summary>
    /// <param name="triggers">The family; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a family of that name.</exception>
    public ComponentCatalog Add(ITriggerFactory triggers) => new(Datasets, Models, FreezeStrategies, Protocols, Triggers.Add(triggers), Poisoners, Metrics, Defenses);

    /// <summary>Returns a copy that also knows a poisoner.</summary>
    /// <param name="poisoner">The poisoner; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a poisoner of that name.</exception>
    public ComponentCatalog Add(IPoisoner poisoner) => new(Datasets, Models, FreezeStrategies, Protocols, Triggers, Poisoners.Add(poisoner), Metrics, Defenses);

    /// <summary>Returns a copy that also knows a defense.</summary>
    /// <param name="defense">The defense; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a defense of that name.</exception>
    public ComponentCatalog Add(IDefense defense) => new(Datasets, Models, FreezeStrategies, Protocols, Triggers, Poisoners, Metrics, Defenses.Add(defense));

    /// <summary>Returns a copy that also knows a metric.</summary>
    /// <param name="metric">The metric; its name must be new to the catalog.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="ArgumentException">The catalog already has a metric of that name.</exception>
    public ComponentCatalog Add(IMetric metric) => new(Datasets, Models, FreezeStrategies, Protocols, Triggers, Poisoners, Metrics.Add(metric), Defenses);
}
