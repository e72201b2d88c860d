using System.Diagnostics;
using BackdoorKit.Models;
using BackdoorKit.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Trains a <see cref="BackdoorModel"/>'s trainable parameters with cross entropy (Adam or SGD with momentum) on an
/// <see cref="IBatchSource"/>, and predicts classes with it. Each step runs in its own dispose scope and the optimizer
/// is disposed after training, so memory stays flat over thousands of runs.
/// </summary>
/// <remarks>
/// The batch order comes from a generator seeded with the run's seed and the training-time augmentation from a
/// <see cref="Random"/> with the same seed, so on the CPU the same seed, model initialisation and thread count give
/// bit-identical weights. A trailing batch of a single sample is folded into the batch before it (BatchNorm cannot
/// train on one sample). One instance may train many models, one after another.
/// </remarks>
public sealed partial class ModelTrainer
{
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="ModelTrainer"/> class.</summary>
    /// <param name="options">The hyperparameters; <see cref="TrainingOptions.Default"/> (the paper's) when null.</param>
    /// <param name="compute">Device and threads; <see cref="ComputeOptions.Default"/> when null.</param>
    /// <param name="logger">Receives one line per epoch.</param>
    public ModelTrainer(TrainingOptions? options = null, ComputeOptions? compute = null, ILogger<ModelTrainer>? logger = null)
    {
        Options = options ?? TrainingOptions.Default;
        Compute = compute ?? ComputeOptions.Default;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the hyperparameters.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Gets where training runs.</summary>
    public ComputeOptions Compute { get; }

    /// <summary>Trains the model's trainable parameters for <see cref="TrainingOptions.Epochs"/> epochs.</summary>
    /// <param name="model">The model; it is moved to the device and left in evaluation mode.</param>
    /// <param name="data">The training batches.</param>
    /// <param name="seed">Seeds the batch order and the augmentation.</param>
    /// <param name="progress">Receives a report after every step, with an ETA.</param>
    /// <param name="cancellationToken">Stops training before the next step.</param>
    /// <returns>The last epoch's mean loss, the step count and the duration.</returns>
    /// <exception cref="InvalidOperationException">The model has no trainable parameter, or the data is empty.</exception>
    /// <exception cref="TrainingDivergedException">A step's loss was NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public TrainingSummary Train(
        BackdoorModel model, IBatchSource data, int seed, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Device device = Prepare(model, data);
        IReadOnlyList<Parameter> trainable = model.GetTrainableParameters();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException($"{model} has no trainable parameter: freeze strategy '{model.FreezeStrategy.Name}' froze them all.");
        }

        using ParameterOptimizer optimizer = ParameterOptimizer.Create(Options, trainable);
        using var generator = new Generator((ulong)seed);
        var augmentation = new Random(seed);
        IReadOnlyList<(long Start, long Length)> batches = BatchBounds(data.Count, Options.BatchSize);
        var clock = Stopwatch.StartNew();
        double epochLoss = double.NaN;
        int readInterval = Compute.ResolveLossReadInterval(device);
        using Tensor? unread = readInterval > 1 ? zeros(readInterval, ScalarType.Float32, device) : null;
        model.SetTrainingMode(true);
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs; epoch++)
            {
                using Tensor order = randperm(data.Count, generator: generator);
                double lossSum = 0;
                int firstUnread = 0;
                for (int step = 0; step < batches.Count; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Tensor? slot = unread?[step - firstUnread];
                    double loss = Step(model, data, optimizer, order, batches[step], device, augmentation, slot);
                    slot?.Dispose();
                    bool read = unread is null || step - firstUnread + 1 == readInterval || step + 1 == batches.Count;
                    if (!read)
                    {
                        continue;
                    }

                    // One host read for every step since the last one: the losses, in order, exactly as read one by one.
                    double[] losses = unread is null
                        ? [loss]
                        : [.. unread.narrow(0, 0, step - firstUnread + 1).cpu().data<float>().ToArray().Select(v => (double)v)];
                    for (int i = 0; i < losses.Length; i++)
                    {
                        if (!double.IsFinite(losses[i]))
                        {
                            throw new TrainingDivergedException(
                                $"{model.Name} training diverged: loss {losses[i]} at epoch {epoch}, step {firstUnread + i + 1} of {batches.Count} " +
                                $"(learning rate {Options.LearningRate}, {Options.Optimizer}). Try a lower learning rate.");
                        }

                        lossSum += losses[i];
                    }

                    firstUnread = step + 1;
                    int done = ((epoch - 1) * batches.Count) + step + 1;
                    int total = Options.Epochs * batches.Count;
                    progress?.Report(new TrainingProgress(
                        epoch, Options.Epochs, step + 1, batches.Count, losses[^1], clock.Elapsed, clock.Elapsed / done * (total - done)));
                }

                epochLoss = lossSum / batches.Count;
                LogEpoch(logger, model.Name, epoch, Options.Epochs, epochLoss, clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            model.SetTrainingMode(false);
        }

        return new TrainingSummary(epochLoss, Options.Epochs * batches.Count, clock.Elapsed);
    }

    /// <summary>Predicts the class of every sample of <paramref name="data"/> in evaluation mode without gradients.</summary>
    /// <param name="model">The model; it is moved to the device and left in evaluation mode.</param>
    /// <param name="data">The samples, served without augmentation in batches of <see cref="TrainingOptions.EvaluationBatchSize"/>.</param>
    /// <param name="cancellationToken">Stops before the next batch.</param>
    /// <returns>The arg-max class of each sample, in sample order.</returns>
    public long[] Predict(BackdoorModel model, IBatchSource data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Device device = Prepare(model, data);
        model.SetTrainingMode(false);
        var predictions = new long[data.Count];
        using var noGrad = no_grad();
        for (long start = 0; start < data.Count; start += Options.EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long length = Math.Min(Options.EvaluationBatchSize, data.Count - start);
            (Tensor inputs, _) = data.GetBatch(arange(start, start + length, 1L, ScalarType.Int64), device, null);
            Tensor classes = data.Forward(model, inputs).argmax(1).cpu();
            classes.data<long>().CopyTo(predictions, (int)start);
        }

        return predictions;
    }

    /// <summary>
    /// Splits <paramref name="count"/> samples into batches, folding a trailing single sample into the batch before
    /// (unless every batch is a single sample).
    /// </summary>
    internal static IReadOnlyList<(long Start, long Length)> BatchBounds(int count, int batchSize)
    {
        var bounds = new List<(long Start, long Length)>();
        for (long start = 0; start < count; start += batchSize)
        {
            bounds.Add((start, Math.Min(batchSize, count - start)));
        }

        if (batchSize > 1 && bounds.Count > 1 && bounds[^1].Length == 1)
        {
            (long start, long length) = bounds[^2];
            bounds.RemoveAt(bounds.Count - 1);
            bounds[^1] = (start, length + 1);
        }

        return bounds;
    }

    /// <summary>
    /// Runs one optimizer step. With no <paramref name="lossSlot"/> the loss is read at once (a host synchronisation)
    /// and a non-finite loss skips the update; with one, the loss is only copied there on the device and the update
    /// always runs (a non-finite loss is found at the next read, and the experiment fails then).
    /// </summary>
    private double Step(
        BackdoorModel model,
        IBatchSource data,
        ParameterOptimizer optimizer,
        Tensor order,
        (long Start, long Length) batch,
        Device device,
        Random augmentation,
        Tensor? lossSlot)
    {
        using var scope = NewDisposeScope();
        (Tensor inputs, Tensor labels) = data.GetBatch(order.narrow(0, batch.Start, batch.Length), device, augmentation);
        optimizer.ZeroGrad();
        Tensor loss = nn.functional.cross_entropy(data.Forward(model, inputs), labels);
        double value = double.NaN;
        if (lossSlot is not null)
        {
            lossSlot.copy_(loss.detach());
        }
        else
        {
            value = loss.item<float>();
        }

        if (lossSlot is not null || double.IsFinite(value))
        {
            loss.backward();
            optimizer.Step();
        }

        return value;
    }

    private Device Prepare(BackdoorModel model, IBatchSource data)
    {
        if (data.Count == 0)
        {
            throw new InvalidOperationException("the data has no samples.");
        }

        TorchRuntime.EnsureInitialized();
        if (Compute.Threads is int threads)
        {
            set_num_threads(threads);
        }

        Device device = Compute.ResolveDevice();
        if (device.type == DeviceType.CUDA)
        {
            backends.cuda.matmul.allow_tf32 = Compute.AllowTf32;
            backends.cudnn.allow_tf32 = Compute.AllowTf32;
        }

        model.Module.to(device);
        return device;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Model}: epoch {Epoch}/{Epochs} mean loss {Loss:F4} after {Seconds:F1} s")]
    private static partial void LogEpoch(ILogger logger, string model, int epoch, int epochs, double loss, double seconds);
}
