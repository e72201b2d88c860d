using BackdoorKit.Data;

namespace BackdoorKit.Experiments;

/// <summary>
/// A dataset's nominal shape, for estimates made before any data is read: split sizes, native image side, source
/// channels and class count, as its <see cref="DatasetDescriptor"/> declares them (the shipped datasets all do; the
/// plain image folder cannot).
/// </summary>
internal static class NominalDatasets
{
    /// <summary>Returns the nominal shape of a dataset.</summary>
    /// <param name="dataset">The dataset name.</param>
    /// <param name="catalog">Where the name resolves.</param>
    /// <returns>Its shape.</returns>
    /// <exception cref="ArgumentException">The dataset is unknown or does not declare its shape.</exception>
    public static NominalDataset Get(string dataset, ComponentCatalog catalog)
    {
        DatasetDescriptor d = catalog.Datasets.Get(dataset);
        return d is { TrainSplitSize: int train, TestSplitSize: int test, NativeSide: int side, ClassCount: int classes }
            ? new NominalDataset(train, test, side, d.SourceChannels, classes)
            : throw new ArgumentException(
                $"dataset '{dataset}' declares no nominal shape (split sizes, native side and class count), so its time cannot be estimated before it is read; datasets that do: {string.Join(", ", catalog.Datasets.Where(k => k.NativeSide is not null && k.ClassCount is not null).Select(k => k.Name))}.",
                nameof(dataset));
    }

    /// <summary>Returns the training and test samples an experiment uses: the official split sizes capped by its limits.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="catalog">Where the dataset's name resolves.</param>
    /// <returns>The sample counts.</returns>
    /// <exception cref="ArgumentException">The dataset has no nominal shape.</exception>
    public static (int Train, int Test) Samples(ExperimentSpec spec, ComponentCatalog catalog)
    {
        NominalDataset d = Get(spec.Dataset, catalog);
        return (Math.Min(d.Train, spec.TrainLimit ?? int.MaxValue), Math.Min(d.Test, spec.TestLimit ?? int.MaxValue));
    }
}
