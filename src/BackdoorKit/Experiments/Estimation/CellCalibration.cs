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
    double Seconds);
