using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Training;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// The library trainer against a bare TorchSharp loop on the same model and batches: 10 Adam steps of batch 64 at
/// 32 x 32 px per call, reported per step. <c>HandLoop</c> and <c>ModelTrainer</c> train on the same pre-normalized
/// float tensor; <c>ModelTrainerFromImages</c> adds the library's data path (uint8 images selected, resized and
/// normalized per batch by <see cref="DatasetBatchSource"/>). Each call builds a fresh Adam, as the trainer does.
/// </summary>
[Config(typeof(TrainingStepConfig))]
public class TrainerOverheadBenchmarks
{
    private const int InputSize = 32;
    private const int BatchSize = 64;
    private const int Steps = 10;
    private const int Classes = 10;

    private BackdoorModel model = null!;
    private Tensor inputs = null!;
    private Tensor labels = null!;
    private ImageDataset images = null!;
    private ModelTrainer trainer = null!;
    private IBatchSource tensorSource = null!;
    private IBatchSource imageSource = null!;

    [Params("small-cnn", "resnet18")]
    public string Model { get; set; } = "small-cnn";

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        model = ComponentCatalog.Default.Models.Get(Model).Create(Classes, ModelWeights.Random);
        var transform = new ModelInputTransform(InputSize, KnownNormalizations.ImageNet);
        images = new ImageDataset(
            "random",
            randint(0, 256, [Steps * BatchSize, 3, InputSize, InputSize], ScalarType.Byte),
            randint(0, Classes, [Steps * BatchSize], ScalarType.Int64),
            [.. Enumerable.Range(0, Classes).Select(c => $"c{c}")]);
        inputs = transform.Apply(images.Images);
        labels = images.Labels.clone();
        trainer = new ModelTrainer(TrainingOptions.Default with { Epochs = 1, BatchSize = BatchSize }, new ComputeOptions { Device = "cpu" });
        tensorSource = new TensorBatchSource(inputs, labels);
        imageSource = DatasetBatchSource.FromClean(images, transform);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public double HandLoop()
    {
        using optim.Optimizer optimizer = optim.Adam(model.GetTrainableParameters(), 0.001);
        using var generator = new Generator(1);
        using Tensor order = randperm(Steps * BatchSize, generator: generator);
        model.Module.train();
        double loss = 0;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            Tensor indices = order.narrow(0, step * BatchSize, BatchSize);
            loss += TrainingStep.Run(model, optimizer, inputs.index_select(0, indices), labels.index_select(0, indices));
        }

        model.Module.eval();
        return loss;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double ModelTrainer() => trainer.Train(model, tensorSource, seed: 1).FinalLoss;

    [Benchmark(OperationsPerInvoke = Steps)]
    public double ModelTrainerFromImages() => trainer.Train(model, imageSource, seed: 1).FinalLoss;

    [GlobalCleanup]
    public void Cleanup()
    {
        model.Dispose();
        inputs.Dispose();
        labels.Dispose();
        images.Dispose();
    }

    /// <summary>Serves rows of a ready model-input tensor, as a hand loop would index it.</summary>
    private sealed class TensorBatchSource(Tensor inputs, Tensor labels) : IBatchSource
    {
        public int Count => (int)inputs.shape[0];

        public Tensor Labels => labels;

        public (Tensor Inputs, Tensor Labels) GetBatch(Tensor indices, Device device, Random? augmentation) =>
            (inputs.index_select(0, indices), labels.index_select(0, indices));
    }
}
