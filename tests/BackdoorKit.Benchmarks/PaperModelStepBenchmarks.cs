using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Training;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// One Adam training step of each of the paper's four models at 224 x 224 px (the TinyImageNet input size and the
/// largest of the study; MNIST runs at 64 and CIFAR-10 at 128 px), batch 4, random weights, 200 classes, under the
/// paper-text freeze strategy; BACKDOORKIT_BENCHMARK_BATCH and BACKDOORKIT_BENCHMARK_INPUT set another batch size and
/// input side (the paper's: 32 at 224 px, 128 at 64 and 128 px). Only the parameters the strategy leaves trainable get
/// gradients and Adam state, under the
/// paper-text freeze strategy, plus the small CNN
/// with every parameter trained. <c>TorchSharp</c> steps with TorchSharp's <c>optim.Adam</c>, <c>InPlace</c> with the
/// trainer's optimizer. Each case is shown next to its floor (<see cref="StepCost"/>) at the rates this run measured.
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class PaperModelStepBenchmarks
{
    private const int Classes = 200;
    private static readonly int InputSize = Setting("BACKDOORKIT_BENCHMARK_INPUT", 224);
    private static readonly int BatchSize = Setting("BACKDOORKIT_BENCHMARK_BATCH", 4);

    private BackdoorModel model = null!;
    private Action zeroGrad = null!;
    private Action step = null!;
    private IDisposable optimizer = null!;
    private Tensor inputs = null!;
    private Tensor labels = null!;

    /// <summary>Gets the models to run: all five, or those listed in BACKDOORKIT_BENCHMARK_MODELS (comma-separated).</summary>
    public static IEnumerable<string> Models =>
        Environment.GetEnvironmentVariable("BACKDOORKIT_BENCHMARK_MODELS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["alexnet", "vgg19_bn", "resnet152", "googlenet", "small-cnn"];

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "alexnet";

    /// <summary>Gets the optimizers to run: both, or those listed in BACKDOORKIT_BENCHMARK_OPTIMIZERS (comma-separated).</summary>
    public static IEnumerable<string> Optimizers =>
        Environment.GetEnvironmentVariable("BACKDOORKIT_BENCHMARK_OPTIMIZERS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["TorchSharp", "InPlace"];

    [ParamsSource(nameof(Optimizers))]
    public string Optimizer { get; set; } = "InPlace";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        IFreezeStrategy freeze = Model == "small-cnn" ? KnownFreezeStrategies.Full : KnownFreezeStrategies.PaperText;
        model = ComponentCatalog.Default.Models.Get(Model).Create(Classes, ModelWeights.Random, new ModelOptions { FreezeStrategy = freeze });
        if (Optimizer == "TorchSharp")
        {
            optim.Optimizer adam = optim.Adam(model.GetTrainableParameters(), 0.001);
            (optimizer, zeroGrad, step) = (adam, adam.zero_grad, () => adam.step());
        }
        else
        {
            var adam = ParameterOptimizer.Create(TrainingOptions.Default, model.GetTrainableParameters());
            (optimizer, zeroGrad, step) = (adam, adam.ZeroGrad, adam.Step);
        }

        inputs = randn(BatchSize, 3, InputSize, InputSize);
        labels = randint(0, Classes, [BatchSize], ScalarType.Int64);
        model.SetTrainingMode(true);
        StepCost cost = StepCost.Count(model, inputs, optimizerStateTensors: 2);
        FloorColumn.Costs[FloorColumn.Key(Model, Optimizer)] = cost;
        Console.WriteLine(
            $"// {Model} at {InputSize} px, batch {BatchSize}: {model.TrainableParameterCount:N0} of {model.TotalParameterCount:N0} parameters train; " +
            $"{cost.Flops / 1e9:F2} GFLOP at {MachineRates.GemmFlopsPerSecond / 1e9:F0} GFLOP/s = {cost.ComputeFloorMs:F1} ms, " +
            $"{cost.Bytes / 1e6:F0} MB at {MachineRates.BytesPerSecond / 1e9:F1} GB/s = {cost.MemoryFloorMs:F1} ms");
    }

    [Benchmark]
    public double Step() => TrainingStep.Run(model, zeroGrad, step, inputs, labels);

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// {Model}/{Optimizer}: peak resident memory so far {PeakResidentMegabytes()} MB");
        optimizer.Dispose();
        model.Dispose();
        inputs.Dispose();
        labels.Dispose();
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;

    private static string PeakResidentMegabytes() =>
        File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is string kb
                ? (long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : "?"
            : "?";
}
