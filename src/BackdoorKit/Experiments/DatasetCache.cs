using System.Collections.Concurrent;
using BackdoorKit.Data;
using BackdoorKit.Training;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace BackdoorKit.Experiments;

/// <summary>
/// The datasets an <see cref="ExperimentRunner"/>'s experiments train on: each read once per folder and kept (outside
/// any dispose scope), checked against its official split sizes, and copied once to a GPU when it fits there.
/// </summary>
/// <param name="pathFor">The folder of a dataset, by name.</param>
/// <param name="logger">Receives the device copies.</param>
internal sealed partial class DatasetCache(Func<string, string> pathFor, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DatasetSplits>> host = new();
    private readonly ConcurrentDictionary<string, Lazy<DatasetSplits>> device = new();

    /// <summary>Returns an experiment's dataset, read at its input size, checked and on the training device.</summary>
    /// <param name="descriptor">The dataset at the experiment's input size.</param>
    /// <param name="known">The dataset as the catalog has it (its official split sizes).</param>
    /// <param name="spec">The experiment (its limits).</param>
    /// <param name="compute">Where it trains.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The splits; they belong to the cache.</returns>
    /// <exception cref="DatasetFormatException">A file is corrupt, or a split is smaller than the experiment needs.</exception>
    public DatasetSplits Get(DatasetDescriptor descriptor, DatasetDescriptor known, ExperimentSpec spec, ComputeOptions compute, CancellationToken cancellationToken)
    {
        DatasetSplits splits = Load(descriptor, cancellationToken);
        CheckSplitSizes(known, splits, spec);
        return OnTrainingDevice(descriptor, splits, compute);
    }

    /// <summary>Reads a dataset (it stays cached) and checks its split sizes against an experiment's limits.</summary>
    /// <param name="known">The dataset.</param>
    /// <param name="spec">The experiment.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="DatasetFormatException">A file is corrupt, or a split is smaller than the experiment needs.</exception>
    public void Check(DatasetDescriptor known, ExperimentSpec spec, CancellationToken cancellationToken) =>
        CheckSplitSizes(known, Load(new DatasetDescriptor(known.Name, known.Reader, known.InputSize), cancellationToken), spec);

    /// <summary>
    /// Returns the first samples as views of the cached tensors, not copies: an experiment on all of TinyImageNet would
    /// otherwise copy 1.2 GB first. Disposing the views leaves the cache intact; nothing writes to them.
    /// </summary>
    /// <param name="dataset">The cached split.</param>
    /// <param name="limit">How many samples, or null for all.</param>
    /// <returns>The view.</returns>
    public static ImageDataset Limit(ImageDataset dataset, int? limit)
    {
        int count = Math.Min(limit ?? dataset.Count, dataset.Count);
        return new ImageDataset(
            dataset.Name, dataset.Images.narrow(0, 0, count), dataset.Labels.narrow(0, 0, count), dataset.ClassNames, dataset.SourceChannels);
    }

    /// <summary>Frees every cached dataset.</summary>
    public void Dispose()
    {
        foreach (Lazy<DatasetSplits> entry in host.Values.Concat(device.Values).Where(l => l.IsValueCreated))
        {
            entry.Value.Train.Dispose();
            entry.Value.Test.Dispose();
        }

        host.Clear();
        device.Clear();
    }

    /// <summary>
    /// A named official dataset must hold its official splits: all of them without a limit, at least the limit with one
    /// (the bundled MNIST sample is its own dataset, so a paper run never trains on it by mistake).
    /// </summary>
    private void CheckSplitSizes(DatasetDescriptor dataset, DatasetSplits splits, ExperimentSpec spec)
    {
        string path = pathFor(dataset.Name);
        Check("training", splits.Train.Count, dataset.TrainSplitSize, spec.TrainLimit, "trainLimit");
        Check("test", splits.Test.Count, dataset.TestSplitSize, spec.TestLimit, "testLimit");

        void Check(string split, int found, int? official, int? limit, string option)
        {
            if (official is not int expected)
            {
                return;
            }

            int needed = Math.Min(limit ?? expected, expected);
            if (found < needed || (limit is null && found != expected))
            {
                throw new DatasetFormatException(
                    path,
                    $"holds {found:N0} {split} images, but '{dataset.Name}' is the official dataset with {expected:N0} " +
                    (limit is null ? string.Empty : $"(the experiment uses the first {needed:N0}) ") +
                    $"; point --data at the full dataset, or set the dataset's {option} to use fewer" +
                    (dataset.Name == KnownDatasets.Mnist.Name ? $" (the bundled sample is the dataset '{KnownDatasets.MnistSample.Name}')" : string.Empty));
            }
        }
    }

    private DatasetSplits Load(DatasetDescriptor descriptor, CancellationToken cancellationToken)
    {
        string path = pathFor(descriptor.Name);
        Lazy<DatasetSplits> entry = host.GetOrAdd(
            $"{descriptor.Name}|{path}", _ => new Lazy<DatasetSplits>(() => ReadDetached(descriptor, path, cancellationToken)));
        try
        {
            return entry.Value;
        }
        catch
        {
            host.TryRemove(new KeyValuePair<string, Lazy<DatasetSplits>>($"{descriptor.Name}|{path}", entry));
            throw;
        }
    }

    // A GPU batches from a copy of the dataset on the device when it fits (ComputeOptions.DatasetOnDeviceMaxBytes), made
    // once per runner; on the CPU the host copy is the device copy.
    private DatasetSplits OnTrainingDevice(DatasetDescriptor descriptor, DatasetSplits splits, ComputeOptions compute)
    {
        Device target = compute.ResolveDevice();
        long bytes = splits.Train.Bytes + splits.Test.Bytes;
        if (!compute.KeepsDatasetOnDevice(target, bytes))
        {
            return splits;
        }

        string key = $"{descriptor.Name}|{pathFor(descriptor.Name)}|{target}";
        return device.GetOrAdd(key, _ => new Lazy<DatasetSplits>(() =>
        {
            var copy = new DatasetSplits(splits.Train.To(target), splits.Test.To(target));
            LogDatasetOnDevice(logger, descriptor.Name, target.ToString(), bytes / (1024.0 * 1024.0));
            return copy;
        })).Value;
    }

    private static DatasetSplits ReadDetached(DatasetDescriptor descriptor, string path, CancellationToken cancellationToken)
    {
        DatasetSplits splits = descriptor.Reader.Read(path, cancellationToken);
        foreach (ImageDataset split in new[] { splits.Train, splits.Test })
        {
            split.Images.DetachFromDisposeScope();
            split.Labels.DetachFromDisposeScope();
        }

        return splits;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Dataset}: training and test images kept on {Device} ({Megabytes:F0} MB), batched there")]
    private static partial void LogDatasetOnDevice(ILogger logger, string dataset, string device, double megabytes);
}
