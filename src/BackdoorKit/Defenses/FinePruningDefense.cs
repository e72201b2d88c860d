using BackdoorKit.Data;
using BackdoorKit.Metrics;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// Fine-Pruning (Liu, Dolan-Gavitt and Garg, 2018, "Fine-Pruning: Defending Against Backdooring Attacks on Deep Neural
/// Networks"): prune the channels of the last convolutional stage that clean images activate least, as many as keep the
/// clean accuracy within <see cref="FinePruningOptions.MaxAccuracyDrop"/>, then fine-tune on clean images, and measure
/// what is left of the backdoor.
/// </summary>
/// <remarks>
/// <para>
/// The defender's clean images are the first half of the test set; clean accuracy and ASR are measured on the second
/// half (ASR excluding the target class). The pruned layer is the architecture's Grad-CAM layer (the last convolutional
/// stage); pruning zeroes its output channels through a forward hook. Fine-tuning trains what the experiment's freeze
/// strategy trains. The model is restored afterwards: every parameter and buffer gets its value back.
/// </para>
/// <para>
/// Metrics: <c>pruned</c> (share of channels), <c>clean-accuracy</c> and <c>asr</c> after pruning and fine-tuning,
/// <c>asr-pruned</c> (after pruning only), and <c>clean-accuracy-before</c>/<c>asr-before</c> on the same images.
/// </para>
/// </remarks>
public sealed class FinePruningDefense : IDefense
{
    /// <summary>Initializes a new instance of the <see cref="FinePruningDefense"/> class.</summary>
    /// <param name="options">The settings; <see cref="FinePruningOptions.Default"/> when null.</param>
    public FinePruningDefense(FinePruningOptions? options = null) => Options = options ?? FinePruningOptions.Default;

    /// <summary>Gets the settings.</summary>
    public FinePruningOptions Options { get; }

    /// <inheritdoc />
    public string Name => "fine-pruning";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        int half = context.Test.Count / 2;
        using ImageDataset defender = Slice(context.Test, 0, half);
        using ImageDataset held = Slice(context.Test, half, context.Test.Count - half);
        var compute = new ComputeOptions { Device = context.Device.ToString() };
        var trainer = new ModelTrainer(Options.FineTuning, compute);
        string layerName = context.Model.Architecture.GradCamLayerName;
        var layer = context.Model.Module.named_modules().FirstOrDefault(m => m.name == layerName).module as nn.Module<Tensor, Tensor>
            ?? throw new InvalidOperationException($"{context.Model.Name} has no layer '{layerName}' that maps one tensor to one tensor.");
        Dictionary<string, Tensor> saved = Snapshot(context.Model);
        bool wasTraining = context.Model.Module.training;
        Tensor? keep = null;
        var hook = layer.register_forward_hook((_, _, output) => keep is null ? output : output.mul(keep.view(1, -1, 1, 1)));
        try
        {
            (double before, double asrBefore) = Measure(context, trainer, held);
            double[] activation = MeanActivations(context, layer, trainer, defender);
            int[] order = [.. Enumerable.Range(0, activation.Length).OrderBy(c => activation[c])];
            double baseline = Accuracy(trainer, context, defender);
            int pruned = 0;
            for (int count = Step(activation.Length); count < activation.Length; count += Step(activation.Length))
            {
                cancellationToken.ThrowIfCancellationRequested();
                keep?.Dispose();
                keep = Mask(activation.Length, order.Take(count), context.Device);
                if (baseline - Accuracy(trainer, context, defender) > Options.MaxAccuracyDrop)
                {
                    break;
                }

                pruned = count;
            }

            keep?.Dispose();
            keep = Mask(activation.Length, order.Take(pruned), context.Device);
            (_, double asrPruned) = Measure(context, trainer, held);
            trainer.Train(context.Model, DatasetBatchSource.FromClean(defender, context.Transform), context.Seed, null, cancellationToken);
            (double after, double asrAfter) = Measure(context, trainer, held);
            return new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["pruned"] = pruned / (double)activation.Length,
                ["clean-accuracy"] = after,
                ["asr"] = asrAfter,
                ["asr-pruned"] = asrPruned,
                ["clean-accuracy-before"] = before,
                ["asr-before"] = asrBefore,
            };
        }
        finally
        {
            hook.remove();
            keep?.Dispose();
            Restore(context.Model, saved);
            context.Model.SetTrainingMode(wasTraining);
        }
    }

    private int Step(int channels) => Math.Max(1, (int)Math.Round(Options.Step * channels));

    private static Tensor Mask(int channels, IEnumerable<int> pruned, Device device)
    {
        var values = Enumerable.Repeat(1f, channels).ToArray();
        foreach (int c in pruned)
        {
            values[c] = 0;
        }

        return tensor(values).to(device);
    }

    /// <summary>Clean accuracy and ASR (target class excluded) of the model on a set of clean test images.</summary>
    private static (double Accuracy, double Asr) Measure(DefenseContext context, ModelTrainer trainer, ImageDataset images)
    {
        long[] labels = images.LabelArray();
        long[] clean = trainer.Predict(context.Model, DatasetBatchSource.FromClean(images, context.Transform));
        if (context.Trigger is null)
        {
            return (KnownMetrics.CleanAccuracy.Compute(new EvaluationOutcome(labels, clean, [], [], context.TargetClass)), double.NaN);
        }

        using PoisonedDataset attack = AttackTestSet.Create(images, context.Trigger, context.TargetClass, includeTargetClass: true, context.LabelMode);
        long[] triggered = trainer.Predict(context.Model, DatasetBatchSource.FromPoisoned(attack, context.Transform));
        var outcome = new EvaluationOutcome(labels, clean, labels, triggered, context.TargetClass, attack.Labels.data<long>().ToArray());
        return (KnownMetrics.CleanAccuracy.Compute(outcome), KnownMetrics.AttackSuccessRate.Compute(outcome));
    }

    private static double Accuracy(ModelTrainer trainer, DefenseContext context, ImageDataset images)
    {
        long[] labels = images.LabelArray();
        long[] predicted = trainer.Predict(context.Model, DatasetBatchSource.FromClean(images, context.Transform));
        return labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    /// <summary>The mean activation of each output channel of the layer over the defender's clean images.</summary>
    private static double[] MeanActivations(DefenseContext context, nn.Module<Tensor, Tensor> layer, ModelTrainer trainer, ImageDataset images)
    {
        Tensor? sum = null;
        long count = 0;
        var capture = layer.register_forward_hook((_, _, output) =>
        {
            using Tensor means = output.detach().mean([0, 2, 3]).mul(output.shape[0]).cpu();
            if (sum is null)
            {
                sum = means.clone().DetachFromDisposeScope();
            }
            else
            {
                sum.add_(means);
            }

            count += output.shape[0];
            return output;
        });
        try
        {
            context.Model.SetTrainingMode(false);
            trainer.Predict(context.Model, DatasetBatchSource.FromClean(images, context.Transform));
            using Tensor mean = sum!.div(count);
            return [.. mean.to_type(ScalarType.Float64).data<double>().ToArray()];
        }
        finally
        {
            capture.remove();
            sum?.Dispose();
        }
    }

    private static ImageDataset Slice(ImageDataset dataset, int start, int count) =>
        new(dataset.Name, dataset.Images.narrow(0, start, count), dataset.Labels.narrow(0, start, count), dataset.ClassNames, dataset.SourceChannels);

    private static Dictionary<string, Tensor> Snapshot(Models.BackdoorModel model)
    {
        using var noGrad = no_grad();
        return model.State().ToDictionary(t => t.Key, t => t.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
    }

    private static void Restore(Models.BackdoorModel model, Dictionary<string, Tensor> saved)
    {
        using var noGrad = no_grad();
        foreach ((string name, Tensor value) in model.State())
        {
            value.copy_(saved[name]);
            saved[name].Dispose();
        }
    }
}
