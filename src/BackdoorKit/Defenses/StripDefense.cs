using BackdoorKit.Poisoning;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// STRIP (Gao et al., 2019, "STRIP: A Defence Against Trojan Attacks on Deep Neural Networks"): superimpose N clean
/// images on an input and measure the entropy of the model's predictions, averaged over the N; a backdoored input keeps
/// predicting the target class whatever is superimposed, so its entropy is low. The threshold is the entropy below which
/// the chosen share of clean inputs would be rejected (the false rejection rate, FRR).
/// </summary>
/// <remarks>
/// <para>
/// Inputs: the first <see cref="StripOptions.Inputs"/> test images (clean), and the first as many test images not of the
/// target class with the trigger (triggered). Overlays: for each input, N test images drawn with the context's seed.
/// Superimposition as in the paper's code: the two images added pixel by pixel and clipped to 0-255, on the model
/// input (after resizing; a native-canvas trigger is drawn before it).
/// </para>
/// <para>
/// Metrics: <c>far</c> (false acceptance rate: triggered inputs whose entropy is at or above the threshold),
/// <c>frr</c> (the clean inputs below it, at most the asked rate), <c>auroc</c> (area under the ROC curve separating
/// triggered from clean inputs by low entropy; 0.5 is chance), <c>threshold</c>, and the mean entropy of <c>clean</c>
/// and <c>triggered</c> inputs (bits). A context without a trigger gives the clean entropy alone, the rest NaN.
/// </para>
/// </remarks>
public sealed class StripDefense : IDefense
{
    /// <summary>Initializes a new instance of the <see cref="StripDefense"/> class.</summary>
    /// <param name="options">The settings; <see cref="StripOptions.Default"/> when null.</param>
    public StripDefense(StripOptions? options = null) => Options = options ?? StripOptions.Default;

    /// <summary>Gets the settings.</summary>
    public StripOptions Options { get; }

    /// <inheritdoc />
    public string Name => "strip";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        long[] labels = context.Test.LabelArray();
        int[] cleanInputs = [.. Enumerable.Range(0, Math.Min(Options.Inputs, labels.Length))];
        double[] clean = Entropies(context, cleanInputs, null, cancellationToken);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["clean"] = clean.Average() };
        if (context.Trigger is null)
        {
            foreach (string name in new[] { "far", "frr", "auroc", "threshold", "triggered" })
            {
                metrics[name] = double.NaN;
            }

            return metrics;
        }

        int[] triggeredInputs = [.. Enumerable.Range(0, labels.Length).Where(i => context.LabelMode != LabelMode.AllToOne || labels[i] != context.TargetClass).Take(Options.Inputs)];
        double[] triggered = Entropies(context, triggeredInputs, context.Trigger, cancellationToken);
        double threshold = Quantile(clean, Options.FalseRejectionRate);
        metrics["threshold"] = threshold;
        metrics["frr"] = clean.Count(h => h < threshold) / (double)clean.Length;
        metrics["far"] = triggered.Count(h => h >= threshold) / (double)triggered.Length;
        metrics["auroc"] = Roc.Auroc([.. triggered.Select(h => -h)], [.. clean.Select(h => -h)]);
        metrics["triggered"] = triggered.Average();
        return metrics;
    }

    /// <summary>The mean prediction entropy (bits) of each input under N superimposed clean test images.</summary>
    private double[] Entropies(DefenseContext context, int[] inputs, Triggers.ITrigger? trigger, CancellationToken cancellationToken)
    {
        var random = new Random(context.Seed);
        int n = Options.Overlays, count = context.Test.Count;
        var entropies = new double[inputs.Length];
        int perBatch = Math.Max(1, Options.BatchSize / n);
        bool wasTraining = context.Model.Module.training;
        context.Model.SetTrainingMode(false);
        try
        {
            for (int start = 0; start < inputs.Length; start += perBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int[] chunk = inputs[start..Math.Min(inputs.Length, start + perBatch)];
                int[] overlays = [.. Enumerable.Range(0, chunk.Length * n).Select(_ => random.Next(count))];
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                Tensor images = trigger is null
                    ? context.Transform.Resize(context.Test.Images.index_select(0, tensor(chunk.Select(i => (long)i).ToArray())))
                    : TriggerPreview.Render(context.Test, chunk, trigger, context.Transform);
                Tensor background = context.Transform.Resize(context.Test.Images.index_select(0, tensor(overlays.Select(i => (long)i).ToArray())));
                Tensor superimposed = images.repeat_interleave(n, dim: 0).add(background).clamp_(0, 255);
                Tensor probabilities = context.Model.Forward(context.Transform.Normalize(superimposed.to(context.Device))).softmax(1).cpu();
                Tensor entropy = probabilities.mul(probabilities.clamp_min(1e-12).log2()).sum(1).neg().view(chunk.Length, n).mean([1]);
                float[] values = entropy.data<float>().ToArray();
                for (int i = 0; i < chunk.Length; i++)
                {
                    entropies[start + i] = values[i];
                }
            }
        }
        finally
        {
            context.Model.SetTrainingMode(wasTraining);
        }

        return entropies;
    }

    /// <summary>The value below which the given share of the values lie (the lower empirical quantile).</summary>
    private static double Quantile(double[] values, double share)
    {
        double[] sorted = [.. values.Order()];
        int index = Math.Clamp((int)Math.Floor(share * sorted.Length), 0, sorted.Length - 1);
        return sorted[index];
    }
}
