using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>Where an <see cref="ExperimentRunner"/> finds data and weights and where it computes. None of it is part of an experiment's identity.</summary>
public sealed record ExperimentRunnerOptions
{
    /// <summary>Gets the folder holding one sub-folder per dataset, named as the dataset (<c>data/mnist</c>, <c>data/cifar10</c>, ...).</summary>
    public string DataRoot
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("ExperimentRunnerOptions.DataRoot must not be empty.", nameof(DataRoot))
            : value;
    } = "data";

    /// <summary>Gets explicit dataset folders by dataset name; they take precedence over <see cref="DataRoot"/>.</summary>
    public IReadOnlyDictionary<string, string> DataPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the weights directory searched for torchvision's checkpoint file names (docs/weights.md), needed by every
    /// experiment whose <see cref="ExperimentSpec.Weights"/> is <c>pretrained</c>; null when no such experiment runs.
    /// </summary>
    public string? WeightsDirectory { get; init; }

    /// <summary>
    /// Gets the folder where <see cref="ExperimentRunner.Run"/> saves every trained model, or null to keep none. Each file
    /// (<see cref="ExperimentRunner.SavedModelPath"/>) holds only the tensors training changed (the trainable parameters
    /// and the running statistics of BatchNorm layers that trained) in safetensors format, plus the experiment id and
    /// the weights source; the frozen rest is rebuilt from the weights and the seed. <see cref="ExperimentRunner.Restore"/>
    /// loads it back.
    /// </summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Gets the device and thread count.</summary>
    public ComputeOptions Compute { get; init; } = ComputeOptions.Default;

    /// <summary>
    /// Gets how frozen-prefix outputs are cached across experiments (<see cref="Features.FeatureCache"/>): on by default
    /// with a 2 GiB memory budget; <see cref="Features.FeatureCacheOptions.Off"/> runs every experiment's whole network.
    /// The cache never changes a result beyond floating-point rounding.
    /// </summary>
    public Features.FeatureCacheOptions FeatureCache { get; init; } = Features.FeatureCacheOptions.Default;

    /// <summary>
    /// Gets the catalog that turns the names in specs into components (datasets, models, freeze strategies, protocols,
    /// trigger families, poisoners): <see cref="ComponentCatalog.Default"/> unless you add components of your own.
    /// </summary>
    public ComponentCatalog Catalog
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Catalog));
    } = ComponentCatalog.Default;

    /// <summary>
    /// Gets further metrics, built-in or your own, computed on every experiment's predictions (the clean test set and
    /// the fully triggered one) and stored by name in <see cref="ExperimentResult.Metrics"/>: in the store's result
    /// JSON and as <c>metric.&lt;name&gt;</c> columns of CSV exports. Empty by default; names must be distinct.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is null, or two metrics share a name.</exception>
    public IReadOnlyList<Metrics.IMetric> Metrics
    {
        get;
        init => field = NamedDistinctly(value, m => m.Name, nameof(Metrics), "metrics");
    } = [];

    /// <summary>
    /// Gets the defenses run on every trained model after it is measured (e.g. <see cref="Defenses.KnownDefenses.Strip"/>);
    /// their numbers join <see cref="ExperimentResult.Metrics"/> as <c>&lt;defense&gt;.&lt;metric&gt;</c> (<c>strip.far</c>).
    /// Empty by default; names must be distinct. Adding a defense to a study later does not rerun finished experiments.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is null, or two defenses share a name.</exception>
    public IReadOnlyList<Defenses.IDefense> Defenses
    {
        get;
        init => field = NamedDistinctly(value, d => d.Name, nameof(Defenses), "defenses");
    } = [];

    /// <summary>Gets the folder of a dataset.</summary>
    /// <param name="dataset">The dataset name.</param>
    /// <returns>Its entry in <see cref="DataPaths"/>, else <c>DataRoot/name</c>.</returns>
    public string DataPathFor(string dataset) =>
        DataPaths.TryGetValue(dataset, out string? path) ? path : Path.Combine(DataRoot, dataset);

    /// <summary>Copies a list of named components, refusing null entries and repeated names.</summary>
    private static T[] NamedDistinctly<T>(IReadOnlyList<T> value, Func<T, string> name, string property, string kind)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, property);
        if (value.Any(v => v is null))
        {
            throw new ArgumentException($"ExperimentRunnerOptions.{property} must not contain null.", property);
        }

        return value.GroupBy(name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? throw new ArgumentException($"ExperimentRunnerOptions.{property} has two {kind} named '{twice.Key}'; names must be distinct.", property)
            : [.. value];
    }
}
