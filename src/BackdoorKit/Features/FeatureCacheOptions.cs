namespace BackdoorKit.Features;

/// <summary>
/// How an <see cref="Experiments.ExperimentRunner"/> caches the output of frozen, evaluation-mode model prefixes
/// (<see cref="FeatureCache"/>): whether at all, how many bytes it may hold in memory, and an optional folder that keeps
/// the features on disk across processes.
/// </summary>
public sealed record FeatureCacheOptions
{
    /// <summary>The default memory budget: 2 GiB.</summary>
    public const long DefaultMaxBytes = 2L << 30;

    /// <summary>Gets the defaults: on, 2 GiB of memory, nothing on disk.</summary>
    public static FeatureCacheOptions Default { get; } = new();

    /// <summary>Gets options that turn the cache off: every experiment runs its whole network on images.</summary>
    public static FeatureCacheOptions Off { get; } = new() { Enabled = false };

    /// <summary>Gets a value indicating whether experiments use the cache when their freeze strategy and model allow it.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Gets the most bytes of feature tensors held in memory; when an insertion goes beyond it, the least recently used
    /// entries are dropped (and recomputed, or read from <see cref="Directory"/>, when needed again). At least 1.
    /// </summary>
    public long MaxBytes
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxBytes), value, "FeatureCacheOptions.MaxBytes must be at least 1 byte.");
    } = DefaultMaxBytes;

    /// <summary>
    /// Gets a folder where every entry is also written (one file per entry, named by the SHA-256 of its key) and read
    /// back when it is not in memory, e.g. by a later process; null keeps features in memory only.
    /// </summary>
    public string? Directory
    {
        get;
        init => field = value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("FeatureCacheOptions.Directory must be null or a folder path.", nameof(Directory))
            : value;
    }
}
