namespace BackdoorKit.Experiments;

/// <summary>An estimate of a plan's compute: floating-point operations and time on the calibrated machine.</summary>
/// <param name="Flop">Estimated floating-point operations of every experiment (training and evaluation).</param>
/// <param name="FlopPerSecond">The measured throughput the time is based on.</param>
/// <param name="Seconds">Estimated time on this machine at that throughput.</param>
public sealed record ComputeEstimate(double Flop, double FlopPerSecond, double Seconds);
