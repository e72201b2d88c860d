namespace BackdoorKit.Experiments;

/// <summary>
/// Counts the compute of experiments from published per-model forward costs (multiply-accumulates at 224 x 224,
/// scaled with the input area), the sample counts and the epochs: a machine-independent size of a study, e.g. to
/// request cluster time. Training counts three forward costs per sample (forward and backward), evaluation one per
/// clean and one per triggered test sample; frozen layers are counted as trained. For the time on a given machine use
/// <see cref="Estimation.StepCalibrator"/>.
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
        (int train, int test) = NominalDatasets.Samples(spec);
        int size = ExperimentSetup.InputSize(spec);
        double forward = 2e9 * macs * (size / 224.0) * (size / 224.0);
        int evaluated = spec.Trigger is null ? test : 2 * test;
        return forward * ((3.0 * train * spec.Training.Epochs) + evaluated);
    }
}
