using System.Globalization;
using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using static TorchSharp.torch;

namespace BackdoorKit.Features;

/// <summary>
/// Serves one experiment's data as cached outputs of its model's frozen, evaluation-mode prefix: clean rows from the
/// clean table of their split, triggered rows from the table of their trigger, both filled on demand through a
/// <see cref="FeatureCache"/>. Records whether anything had to be computed.
/// </summary>
internal sealed class PrefixFeatures
{
    private readonly FeatureCache cache;
    private readonly BackdoorModel model;
    private readonly ModelInputTransform transform;
    private readonly Device device;
    private readonly int batchSize;
    private readonly Func<string, string, FeatureCacheKey> key;
    private bool missed;

    private PrefixFeatures(
        FeatureCache cache, BackdoorModel model, ModelInputTransform transform, Device device, int batchSize, int stages, Func<string, string, FeatureCacheKey> key)
    {
        this.cache = cache;
        this.model = model;
        this.transform = transform;
        this.device = device;
        this.batchSize = batchSize;
        this.key = key;
        Stages = stages;
    }

    /// <summary>Gets how many leading stages the cached features cover.</summary>
    public int Stages { get; }

    /// <summary>Gets <see cref="FeatureCacheStatus.Miss"/> once any row had to be computed, else <see cref="FeatureCacheStatus.Hit"/>.</summary>
    public FeatureCacheStatus Status => missed ? FeatureCacheStatus.Miss : FeatureCacheStatus.Hit;

    /// <summary>
    /// Counts the leading stages whose output can be cached for a model fed through a transform: the model's frozen,
    /// evaluation-mode prefix (<see cref="BackdoorModel.CountFrozenPrefixStages"/>) when the transform resizes directly,
    /// else 0.
    /// </summary>
    /// <param name="model">The model, frozen by its strategy.</param>
    /// <param name="transform">The model-input transform.</param>
    /// <returns>The number of cacheable stages; 0 when nothing can be cached.</returns>
    public static int CacheableStages(BackdoorModel model, ModelInputTransform transform) =>
        transform.ResizeRule == ResizeRule.Direct && model.Module is IStagedModule ? model.CountFrozenPrefixStages() : 0;

    /// <summary>
    /// Prepares cached features for a model when it has a frozen, evaluation-mode prefix and its training input is
    /// deterministic (no random crops), else returns null (the experiment runs the whole network).
    /// </summary>
    /// <param name="cache">The cache.</param>
    /// <param name="model">The model, its freeze strategy applied.</param>
    /// <param name="transform">The model-input transform.</param>
    /// <param name="device">Where the prefix runs.</param>
    /// <param name="batchSize">The batch size of prefix runs.</param>
    /// <param name="dataset">The dataset name and folder.</param>
    /// <param name="weights">The weights' identity (random weights with their seed).</param>
    /// <param name="rows">The training set's size: the cached prefix is the deepest frozen one whose table of that many
    /// rows fits the cache's memory budget (<see cref="FeatureCacheOptions.MaxBytes"/>), so a table is never computed
    /// only to be dropped.</param>
    /// <returns>The features, or null.</returns>
    public static PrefixFeatures? TryCreate(
        FeatureCache cache, BackdoorModel model, ModelInputTransform transform, Device device, int batchSize, (string Name, string Path) dataset, string weights, int rows)
    {
        int stages = CacheableStages(model, transform);
        if (stages == 0 || model.Module is not IStagedModule staged)
        {
            return null;
        }

        stages = FittingStages(model, transform, device, stages, rows, cache.Options.MaxBytes);
        if (stages == 0)
        {
            return null;
        }

        string prefix = string.Join('|', staged.StageModules.Take(stages).Select(s => string.Join(',', s)));
        string input = string.Create(
            CultureInfo.InvariantCulture,
            $"size={transform.Size},resize={transform.ResizeRule},normalization={transform.MeanImage?.Source ?? string.Join(',', transform.Normalization.Mean.Concat(transform.Normalization.Std).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
        return new PrefixFeatures(
            cache,
            model,
            transform,
            device,
            batchSize,
            stages,
            (split, trigger) => new FeatureCacheKey(dataset.Name, dataset.Path, split, model.Name, weights, prefix, input, trigger, device.ToString()));
    }

    /// <summary>The deepest prefix of at most <paramref name="stages"/> stages whose output for <paramref name="rows"/> images fits <paramref name="maxBytes"/>; 0 when none does.</summary>
    private static int FittingStages(BackdoorModel model, ModelInputTransform transform, Device device, int stages, int rows, long maxBytes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor probe = zeros([1, 3, transform.Size, transform.Size], device: device);
        for (int k = stages; k > 0; k--)
        {
            long perImage = model.ForwardPrefix(probe, k).numel();
            if ((double)perImage * sizeof(float) * rows <= maxBytes)
            {
                return k;
            }
        }

        return 0;
    }

    /// <summary>Serves a clean dataset's features.</summary>
    /// <param name="data">The dataset (sample i of it is sample i of the split).</param>
    /// <param name="split"><c>train</c> or <c>test</c>.</param>
    /// <returns>The source; the caller disposes it.</returns>
    public FeatureBatchSource Clean(ImageDataset data, string split)
    {
        long[] rows = [.. Enumerable.Range(0, data.Count).Select(i => (long)i)];
        Tensor features = Rows(split, "clean", rows, ids => Compute(DatasetBatchSource.FromClean(data, transform), ids));
        return new FeatureBatchSource(features.DetachFromDisposeScope(), data.Labels.clone().DetachFromDisposeScope(), Stages);
    }

    /// <summary>
    /// Serves a poisoned view's features: triggered rows from the trigger's table, cover rows from the cover trigger's,
    /// the others from the clean table.
    /// </summary>
    /// <param name="view">The view (its clean dataset's sample i is sample i of the split).</param>
    /// <param name="split"><c>train</c> or <c>test</c>.</param>
    /// <returns>The source, labelled as the view says; the caller disposes it.</returns>
    public FeatureBatchSource Poisoned(PoisonedDataset view, string split)
    {
        using var scope = NewDisposeScope();
        var drawn = new Dictionary<int, ITrigger>();
        foreach (int row in view.PoisonedIndices)
        {
            drawn[row] = view.Trigger;
        }

        foreach (int row in view.CoverIndices)
        {
            drawn[row] = view.CoverTrigger!;
        }

        var parts = new List<(int[] Rows, Tensor Features)>();
        int[] cleanRows = [.. Enumerable.Range(0, view.Count).Where(r => !drawn.ContainsKey(r))];
        if (cleanRows.Length > 0)
        {
            parts.Add((cleanRows, Rows(split, "clean", Samples(view, cleanRows), ids => Compute(DatasetBatchSource.FromClean(view.Clean, transform), ids))));
        }

        foreach (IGrouping<ITrigger, int> group in drawn.GroupBy(d => d.Value, d => d.Key))
        {
            int[] rows = [.. group.Order()];
            parts.Add((rows, Rows(split, group.Key.Description, Samples(view, rows), ids =>
            {
                using var all = new PoisonedDataset(view.Clean, group.Key, view.TargetClass, [.. Enumerable.Range(0, ids.Length)], [.. ids.Select(i => (int)i)]);
                return Compute(DatasetBatchSource.FromPoisoned(all, transform), [.. Enumerable.Range(0, ids.Length).Select(i => (long)i)]);
            })));
        }

        Tensor sample = parts[0].Features;
        Tensor features = zeros([view.Count, .. sample.shape.Skip(1)], sample.dtype, sample.device);
        foreach ((int[] rows, Tensor part) in parts)
        {
            features.index_copy_(0, tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64, sample.device), part);
        }

        return new FeatureBatchSource(features.DetachFromDisposeScope(), view.Labels.clone().DetachFromDisposeScope(), Stages);
    }

    private static long[] Samples(PoisonedDataset view, int[] rows) => [.. rows.Select(r => (long)view.SampleIndices[r])];

    private Tensor Rows(string split, string trigger, long[] rows, Func<long[], Tensor> compute)
    {
        (Tensor features, bool hit) = cache.GetRows(key(split, trigger), rows, compute);
        missed |= !hit;
        return features;
    }

    // Runs the prefix in evaluation mode on the source's samples, a batch at a time.
    private Tensor Compute(IBatchSource source, long[] indices)
    {
        model.SetTrainingMode(false);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (int start = 0; start < indices.Length; start += batchSize)
        {
            long[] chunk = indices[start..Math.Min(indices.Length, start + batchSize)];
            (Tensor inputs, _) = source.GetBatch(tensor(chunk, ScalarType.Int64), device, null);
            parts.Add(model.ForwardPrefix(inputs, Stages));
        }

        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
