using System.Diagnostics;
using BackdoorKit.Runtime;
using TorchSharp;

namespace BackdoorKit.Experiments;

/// <summary>
/// Estimates the compute of experiments from published per-model forward costs (multiply-accumulates at 224 x 224,
/// scaled with the input area), the sample counts and the epochs, and measures this machine's throughput with a short
/// matrix-multiplication calibration. Training counts three forward costs per sample (forward and backward), evaluation
/// one per clean and one per triggered test sample. Frozen layers, data handling and framework overhead are not
/// modelled: treat the time as a lower bound.
/// </summary>
public static class ComputeEstimator
{
    // Forward multiply-accumulates at 224 x 224 in billions, as torchvision documents its models ("GFLOPS").
    private static readonly Dictionary<string, double> GigaMacsAt224 = new(StringComparer.Ordinal)
    {
        ["alexnet"] = 0.71,
        ["googlenet"] = 1.50,
        ["vgg19_bn"] = 19.63,
        ["resnet152"] = 11.51,
        ["resnet18"] = 1.81,

        // Counted from its convolutions: torchvision's ResNet-18 plus layer4's third block (0.23), plus 512 x 1000 for a head.
        ["resnet18-imagenet-cntk"] = 2.05,

        // Counted from its three 3x3 convolutions (3->16 at full size, 16->32 at 1/2, 32->64 at 1/4).
        ["small-cnn"] = 0.137,
    };

    // Nominal split sizes of the official datasets (train, test); the folder dataset has no nominal size.
    private static readonly Dictionary<string, (int Train, int Test, int InputSize)> Datasets = new(StringComparer.Ordinal)
    {
        ["mnist"] = (60_000, 10_000, 64),
        ["mnist-sample"] = (8_576, 1_424, 64),
        ["cifar10"] = (50_000, 10_000, 128),
        ["tinyimagenet"] = (100_000, 10_000, 224),
    };

    /// <summary>Estimates one experiment's floating-point operations.</summary>
    /// <param name="spec">The experiment.</param>
    /// <returns>The estimate in FLOP (2 per multiply-accumulate).</returns>
    /// <exception cref="ArgumentException">The model or dataset has no known cost or size.</exception>
    public static double Flop(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double macs = GigaMacsAt224.TryGetValue(spec.Model, out double m)
            ? m
            : throw new ArgumentException($"no compute cost is known for model '{spec.Model}'; known: {string.Join(", ", GigaMacsAt224.Keys)}.", nameof(spec));

        (int train, int test, int size) = Datasets.TryGetValue(spec.Dataset, out var d)
            ? d
            : throw new ArgumentException($"no nominal size is known for dataset '{spec.Dataset}'; known: {string.Join(", ", Datasets.Keys)}.", nameof(spec));
        train = Math.Min(train, spec.TrainLimit ?? int.MaxValue);
        test = Math.Min(test, spec.TestLimit ?? int.MaxValue);
        size = spec.InputSize ?? size;
        double forward = 2e9 * macs * (size / 224.0) * (size / 224.0);
        int evaluated = spec.Trigger is null ? test : 2 * test;
        return forward * ((3.0 * train * spec.Training.Epochs) + evaluated);
    }

    /// <summary>Measures this machine's fp32 matrix-multiplication throughput on the CPU with LibTorch's current thread count.</summary>
    /// <param name="budget">How long to measure (at least a few repetitions run).</param>
    /// <returns>FLOP per second.</returns>
    public static double CalibrateFlopPerSecond(TimeSpan budget)
    {
        TorchRuntime.EnsureInitialized();
        const int n = 512;
        using var scope = torch.NewDisposeScope();
        var a = torch.rand(n, n);
        var b = torch.rand(n, n);
        torch.mm(a, b).Dispose();
        var clock = Stopwatch.StartNew();
        int repetitions = 0;
        while (repetitions < 3 || clock.Elapsed < budget)
        {
            torch.mm(a, b).Dispose();
            repetitions++;
        }

        return 2.0 * n * n * n * repetitions / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Estimates a list of experiments.</summary>
    /// <param name="specs">The experiments.</param>
    /// <param name="flopPerSecond">The throughput, e.g. from <see cref="CalibrateFlopPerSecond"/>.</param>
    /// <returns>The estimate.</returns>
    public static ComputeEstimate Estimate(IEnumerable<ExperimentSpec> specs, double flopPerSecond)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flopPerSecond);
        double flop = specs.Sum(Flop);
        return new ComputeEstimate(flop, flopPerSecond, flop / flopPerSecond);
    }
}
