using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// One Adam training step of each of the paper's four models at 224 x 224 px (the TinyImageNet input size and the
/// largest of the study; MNIST runs at 64 and CIFAR-10 at 128 px), batch 4, random weights, 200 classes, under the
/// paper-text freeze strategy (only the parameters it leaves trainable get gradients and Adam state).
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class PaperModelStepBenchmarks
{
    private const int InputSize = 224;
    private const int BatchSize = 4;
    private const int Classes = 200;

    private BackdoorModel model = null!;
    private optim.Optimizer optimizer = null!;
    private Tensor inputs = null!;
    private Tensor labels = null!;

    [Params("alexnet", "vgg19_bn", "resnet152", "googlenet")]
    public string Model { get; set; } = "alexnet";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        model = KnownModels.Create(Model, Classes, ModelWeights.Random, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.PaperText });
        optimizer = optim.Adam(model.GetTrainableParameters(), 0.001);
        inputs = randn(BatchSize, 3, InputSize, InputSize);
        labels = randint(0, Classes, [BatchSize], ScalarType.Int64);
        model.SetTrainingMode(true);
        Console.WriteLine($"// {Model}: {model.TrainableParameterCount:N0} of {model.TotalParameterCount:N0} parameters train");
    }

    [Benchmark]
    public double Step() => TrainingStep.Run(model, optimizer, inputs, labels);

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        inputs.Dispose();
        labels.Dispose();
    }
}
