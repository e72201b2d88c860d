namespace BackdoorKit.Experiments;

/// <summary>
/// The official datasets' nominal shapes, for estimates made before any data is read: split sizes, native image side,
/// source channels and class count. The plain image folder has no nominal shape.
/// </summary>
internal static class NominalDatasets
{
    private static readonly Dictionary<string, NominalDataset> Known = new(StringComparer.Ordinal)
    {
        ["mnist"] = new(60_000, 10_000, 28, 1, 10),
        ["mnist-sample"] = new(8_576, 1_424, 28, 1, 10),
        ["cifar10"] = new(50_000, 10_000, 32, 3, 10),
        ["tinyimagenet"] = new(100_000, 10_000, 64, 3, 200),
    };

    /// <summary>Returns the nominal shape of a dataset.</summary>
    /// <param name="dataset">The dataset name.</param>
    /// <returns>Its shape.</returns>
    /// <exception cref="ArgumentException">The dataset has no nominal shape.</exception>
    public static NominalDataset Get(string dataset) => Known.TryGetValue(dataset, out NominalDataset? d)
        ? d
        : throw new ArgumentException(
            $"no nominal size is known for dataset '{dataset}'; known: {string.Join(", ", Known.Keys)}.", nameof(dataset));

    /// <summary>Returns the training and test samples an experiment uses: the official split sizes capped by its limits.</summary>
    /// <param name="spec">The experiment.</param>
    /// <returns>The sample counts.</returns>
    /// <exception cref="ArgumentException">The dataset has no nominal shape.</exception>
    public static (int Train, int Test) Samples(ExperimentSpec spec)
    {
        NominalDataset d = Get(spec.Dataset);
        return (Math.Min(d.Train, spec.TrainLimit ?? int.MaxValue), Math.Min(d.Test, spec.TestLimit ?? int.MaxValue));
    }
}
