namespace BackdoorKit.Experiments.Estimation;

/// <summary>The measured step costs of one <see cref="CalibrationCell"/> on this machine.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Train">The cost of a training step (batch building, forward, backward and optimizer step).</param>
/// <param name="TrainTimings">The training steps measured, by batch size.</param>
/// <param name="Evaluation">The cost of a clean evaluation batch.</param>
/// <param name="EvaluationTimings">The clean evaluation batches measured, by batch size.</param>
/// <param name="TriggeredEvaluation">The cost of a triggered evaluation batch, or null when the cell has no backdoored experiment.</param>
/// <param name="TriggeredEvaluationTimings">The triggered evaluation batches measured (empty when not measured).</param>
/// <param name="OverheadSeconds">The measured time per experiment outside its steps: building and freezing the model, poisoning, the first step's set-up.</param>
/// <param name="Threads">LibTorch's intra-op thread count during the measurement.</param>
/// <param name="Seconds">How long the calibration of the cell took.</param>
/// <remarks>
/// When the cell's frozen prefix is cached (<see cref="CachedStages"/> &gt; 0), <see cref="Train"/> and the evaluation costs
/// are those of the rest of the network on cached features, and <see cref="Prefix"/> is the cost of computing the
/// features of a batch of images once.
/// </remarks>
public sealed record CellCalibration(
    CalibrationCell Cell,
    StepCost Train,
    IReadOnlyList<StepTiming> TrainTimings,
    StepCost Evaluation,
    IReadOnlyList<StepTiming> EvaluationTimings,
    StepCost? TriggeredEvaluation,
    IReadOnlyList<StepTiming> TriggeredEvaluationTimings,
    double OverheadSeconds,
    int Threads,
    double Seconds)
{
    /// <summary>Gets the number of leading stages whose output the runner caches for this cell (0: none, every step runs the whole network).</summary>
    public int CachedStages { get; init; }

    /// <summary>Gets the cost of computing the cached prefix's output for a batch of images, or null when nothing is cached.</summary>
    public StepCost? Prefix { get; init; }

    /// <summary>Gets the prefix batches measured (empty when nothing is cached).</summary>
    public IReadOnlyList<StepTiming> PrefixTimings { get; init; } = [];
}
