using BackdoorKit.Protocols;

namespace BackdoorKit.Experiments;

/// <summary>
/// What one experiment measured, and exactly what was run: immutable and JSON-serialisable (camelCase names; rates are
/// fractions in [0, 1]).
/// </summary>
public sealed record ExperimentResult
{
    /// <summary>Gets the experiment id (<see cref="ExperimentSpec.Id"/>).</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Gets the experiment's full description.</summary>
    public required ExperimentSpec Spec { get; init; }

    /// <summary>Gets the protocol with every convention it fixed.</summary>
    public required StudyProtocol Protocol { get; init; }

    /// <summary>Gets the seed (also in <see cref="Spec"/>).</summary>
    public int Seed { get; init; }

    /// <summary>Gets the clean accuracy on the clean test set.</summary>
    public double CleanAccuracy { get; init; }

    /// <summary>Gets the ASR excluding test samples of the target class (headline), or null without a trigger.</summary>
    public double? AttackSuccessRate { get; init; }

    /// <summary>Gets the ASR including test samples of the target class (the published code's), or null without a trigger.</summary>
    public double? AttackSuccessRateIncludingTarget { get; init; }

    /// <summary>Gets the trigger's resolved pixel rectangle, or null without a trigger.</summary>
    public TriggerGeometry? Trigger { get; init; }

    /// <summary>Gets the number of poisoned training samples.</summary>
    public int PoisonedCount { get; init; }

    /// <summary>Gets the number of training samples.</summary>
    public int TrainSamples { get; init; }

    /// <summary>Gets the number of clean test samples.</summary>
    public int TestSamples { get; init; }

    /// <summary>Gets the side of the square model input in pixels.</summary>
    public int InputSize { get; init; }

    /// <summary>Gets the number of trainable parameters.</summary>
    public long TrainableParameters { get; init; }

    /// <summary>Gets the total number of parameters.</summary>
    public long TotalParameters { get; init; }

    /// <summary>Gets where the backbone's weights came from (e.g. <c>random</c> or a file name and hash prefix).</summary>
    public string WeightsSource { get; init; } = "random";

    /// <summary>Gets the mean training loss of the last epoch.</summary>
    public double FinalLoss { get; init; }

    /// <summary>Gets the training time in seconds.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Gets the evaluation time in seconds.</summary>
    public double EvaluationSeconds { get; init; }

    /// <summary>Gets the whole experiment's time in seconds, data preparation included.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Gets the device (<c>cpu</c>, <c>cuda:0</c>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Gets LibTorch's intra-op thread count.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Gets how the experiment used the feature cache: <c>hit</c> (every frozen-prefix output was cached), <c>miss</c>
    /// (some were computed by this experiment), <c>not-cacheable</c> (no frozen, evaluation-mode prefix: the whole
    /// network ran on images) or <c>off</c> (cache turned off, or a result from before the cache existed).
    /// </summary>
    public string FeatureCache { get; init; } = "off";

    /// <summary>Gets the oneDNN setting (<c>default</c>, <c>avx-cap</c>, <c>disabled</c>).</summary>
    public string OneDnn { get; init; } = "default";

    /// <summary>
    /// Gets the memory allocator setting (<see cref="Runtime.HugePages.Setting"/>, e.g. <c>hugetlb=1,thp=madvise</c>); it
    /// changes speed, not results. Empty for results stored before it was recorded.
    /// </summary>
    public string Allocator { get; init; } = string.Empty;

    /// <summary>Gets the number of CUDA devices the process saw (0 on a CPU-only machine or build).</summary>
    public int CudaDevices { get; init; }

    /// <summary>Gets whether TF32 was allowed for CUDA matrix multiplications and convolutions (<see cref="Training.ComputeOptions.AllowTf32"/>).</summary>
    public bool Tf32 { get; init; }

    /// <summary>Gets the BackdoorKit version.</summary>
    public string BackdoorKitVersion { get; init; } = string.Empty;

    /// <summary>Gets the TorchSharp version.</summary>
    public string TorchSharpVersion { get; init; } = string.Empty;

    /// <summary>Gets when the experiment finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>
    /// Gets the values of the runner's further metrics (<see cref="ExperimentRunnerOptions.Metrics"/>) by name; empty
    /// when it had none. <see cref="double.NaN"/> where a metric is undefined (e.g. a triggered-set metric of a clean
    /// baseline, which has no triggered set).
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
