namespace BackdoorKit.Features;

/// <summary>How an experiment used the <see cref="FeatureCache"/>; recorded with its result (<see cref="Experiments.ExperimentResult.FeatureCache"/>).</summary>
public enum FeatureCacheStatus
{
    /// <summary>The cache is turned off (<see cref="FeatureCacheOptions.Enabled"/>); the whole network ran on images.</summary>
    Off,

    /// <summary>
    /// The freeze strategy, model or transform leaves no frozen, evaluation-mode prefix to cache (e.g. the paper's
    /// policy, BatchNorm trainable everywhere; models without a staged forward pass; random training crops); the whole
    /// network ran on images.
    /// </summary>
    NotCacheable,

    /// <summary>Some features were computed (and stored) by this experiment.</summary>
    Miss,

    /// <summary>Every feature the experiment needed was already cached.</summary>
    Hit,
}
