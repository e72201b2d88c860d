namespace BackdoorKit.Experiments.Estimation;

/// <summary>The estimated time of a plan's experiments in one cell.</summary>
/// <param name="Calibration">The cell's measured step costs.</param>
/// <param name="Experiments">The number of experiments in the cell.</param>
/// <param name="Seconds">Their estimated time, one after another.</param>
public sealed record CellTimeEstimate(CellCalibration Calibration, int Experiments, double Seconds);
