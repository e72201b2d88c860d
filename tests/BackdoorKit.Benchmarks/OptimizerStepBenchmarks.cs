using BackdoorKit.Training;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// One optimizer step alone on parameters shaped like AlexNet's trainable classifier under the paper-text policy
/// (9216 x 4096, 4096 x 4096 and 4096 x 200 weights with biases: 54.6 M parameters, 218 MB), with fixed random
/// gradients: TorchSharp's <c>optim.Adam</c> and <c>optim.SGD</c> (momentum 0.9) against the trainer's in-place
/// versions: Adam as tensor operations (whole or in cache-sized chunks, the path CUDA takes) and as the one-pass CPU
/// kernel the trainer uses (<c>Fused-Adam</c>). The floor is the bytes the update must move (gradient read; parameter and state read and written) at the
/// measured copy bandwidth.
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class OptimizerStepBenchmarks
{
    private Parameter[] parameters = null!;
    private IDisposable optimizer = null!;
    private Action step = null!;

    [Params("TorchSharp-Adam", "InPlace-Adam", "InPlace-Adam-chunked", "Fused-Adam", "TorchSharp-SGD", "InPlace-SGD")]
    public string Optimizer { get; set; } = "InPlace-Adam";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        long[][] shapes = [[4096, 9216], [4096], [4096, 4096], [4096], [200, 4096], [200]];
        parameters = [.. shapes.Select(s => new Parameter(randn(s) * 0.01))];
        foreach (Parameter parameter in parameters)
        {
            parameter.grad = randn(parameter.shape) * 0.01;
        }

        bool adam = Optimizer.Contains("Adam", StringComparison.Ordinal);
        var options = TrainingOptions.Default with { Optimizer = adam ? OptimizerKind.Adam : OptimizerKind.Sgd, LearningRate = 1e-6 };
        if (Optimizer.StartsWith("TorchSharp", StringComparison.Ordinal))
        {
            optim.Optimizer torchSharp = adam ? optim.Adam(parameters, options.LearningRate) : optim.SGD(parameters, options.LearningRate, options.Momentum);
            (optimizer, step) = (torchSharp, () => torchSharp.step());
        }
        else if (Optimizer.StartsWith("InPlace-Adam", StringComparison.Ordinal))
        {
            long chunk = Optimizer.EndsWith("chunked", StringComparison.Ordinal) ? InPlaceAdam.CacheSizedChunk : long.MaxValue;
            var inPlace = new InPlaceAdam(parameters, options.LearningRate, chunk, fused: false);
            (optimizer, step) = (inPlace, inPlace.Step);
        }
        else
        {
            var inPlace = ParameterOptimizer.Create(options, parameters);
            (optimizer, step) = (inPlace, inPlace.Step);
        }

        double bytes = 4.0 * parameters.Sum(p => p.numel()) * (1 + (2 * (adam ? 3 : 2)));
        FloorColumn.Costs[FloorColumn.Key(Optimizer)] = new StepCost(0, bytes, bytes / MachineRates.BytesPerSecond * 1e3);
    }

    [Benchmark]
    public void Step()
    {
        using var scope = NewDisposeScope();
        step();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        foreach (Parameter parameter in parameters)
        {
            parameter.Dispose();
        }
    }
}
