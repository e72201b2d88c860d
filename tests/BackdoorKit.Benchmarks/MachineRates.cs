using System.Diagnostics;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>This machine's fp32 GEMM rate and memory bandwidth, measured once per process (best of a few runs).</summary>
internal static class MachineRates
{
    private static readonly Lazy<double> Gemm = new(MeasureGemm);
    private static readonly Lazy<double> Bandwidth = new(MeasureBandwidth);

    /// <summary>Gets the fp32 matrix-multiply rate (2048^3, LibTorch's threads) in FLOP/s.</summary>
    public static double GemmFlopsPerSecond => Gemm.Value;

    /// <summary>Gets the copy bandwidth (256 MB buffer to buffer, read plus write) in bytes/s.</summary>
    public static double BytesPerSecond => Bandwidth.Value;

    private static double MeasureGemm()
    {
        const int N = 2048;
        using var scope = NewDisposeScope();
        Tensor a = randn(N, N);
        Tensor b = randn(N, N);
        return 2.0 * N * N * N / Best(() => a.matmul(b).Dispose());
    }

    private static double MeasureBandwidth()
    {
        const long Elements = 64L << 20;
        using var scope = NewDisposeScope();
        Tensor source = ones(Elements);
        Tensor target = zeros(Elements);
        return 2.0 * 4 * Elements / Best(() => target.copy_(source));
    }

    private static double Best(Action run)
    {
        run();
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }
}
