using BackdoorKit.Data;

namespace BackdoorKit.Experiments;

/// <summary>
/// The official datasets' nominal shapes, for estimates made before any data is read: split sizes, native image side,
/// source channels and class count. The plain image folder has no nominal shape.
/// </summary>
internal static class NominalDatasets
{
    // What the descriptors do not say: the stored image side and the class count. Split sizes and channels come from
    // KnownDatasets, which checks them against the files.
    private static readonly Dictionary<string, (int Side, int Classes)> Shapes = new(StringComparer.Ordinal)
    {
        ["mnist"] = (28, 10),
        ["mnist-sample"] = (28, 10),
        ["cifar10"] = (32, 10),
        ["tinyimagenet"] = (64, 200),
    };

    /// <summary>Returns the nominal shape of a dataset.</summary>
    /// <param name="dataset">The dataset name.</param>
    /// <returns>Its shape.</returns>
    /// <exception cref="ArgumentException">The dataset has no nominal shape.</exception>
    public static NominalDataset Get(string dataset)
    {
        DatasetDescriptor? known = Shapes.ContainsKey(dataset) ? KnownDatasets.Get(dataset) : null;
        return known is { TrainSplitSize: int train, TestSplitSize: int test } && Shapes.TryGetValue(dataset, out var shape)
            ? new NominalDataset(train, test, shape.Side, known.SourceChannels, shape.Classes)
            : throw new ArgumentException(
                $"no nominal size is known for dataset '{dataset}'; known: {string.Join(", ", Shapes.Keys)}.", nameof(dataset));
    }

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
