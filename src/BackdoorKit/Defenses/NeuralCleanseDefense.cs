using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// Neural Cleanse (Wang et al., 2019, "Neural Cleanse: Identifying and Mitigating Backdoor Attacks in Neural
/// Networks"): for every class, find the smallest mask m and pattern p that send clean images to the class,
/// <c>x' = (1 - m) x + m p</c>, by gradient descent on cross-entropy plus lambda times the mask's L1 norm; a backdoored
/// class needs a much smaller mask than the others. The anomaly index of a class is <c>(median - L1) / (1.4826 MAD)</c>
/// over the classes' smallest successful masks (only masks smaller than the median count); above 2 the class is flagged.
/// </summary>
/// <remarks>
/// <para>
/// As in the paper, lambda is adjusted during the search: multiplied by 1.5 after 10 steps in a row at 99 % or more
/// attack success on the batch, divided by 1.5 after 10 below, and the smallest mask reaching 99 % is kept (the last one
/// when none did). Deviations: every class gets the same number of steps, without early stopping. The mask is one value
/// per pixel (sigmoid of a free parameter), the pattern three (255 x sigmoid), both at the model-input resolution; the
/// clean images are the test set's, drawn with the context's seed, and the classes searched are those of the test set.
/// The model is not changed.
/// </para>
/// <para>
/// Metrics: <c>anomaly-index</c> and <c>target-flagged</c> of the target class, <c>classes-flagged</c>,
/// <c>target-mask-l1</c> (pixels), <c>median-mask-l1</c>, and <c>mask-in-trigger</c>: the share of the target class's
/// mask inside the real trigger's rectangle on the model input (NaN without a trigger). An all-to-all backdoor has no
/// target class: there the class measures are those of the most anomalous class and <c>target-flagged</c> is NaN.
/// </para>
/// </remarks>
public sealed class NeuralCleanseDefense : IDefense
{
    private const double Consistency = 1.4826;
    private const double Success = 0.99;
    private const int Patience = 10;
    private const double Factor = 1.5;

    /// <summary>Initializes a new instance of the <see cref="NeuralCleanseDefense"/> class.</summary>
    /// <param name="options">The settings; <see cref="NeuralCleanseOptions.Default"/> when null.</param>
    public NeuralCleanseDefense(NeuralCleanseOptions? options = null) => Options = options ?? NeuralCleanseOptions.Default;

    /// <summary>Gets the settings.</summary>
    public NeuralCleanseOptions Options { get; }

    /// <inheritdoc />
    public string Name => "neural-cleanse";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] classes = [.. context.Test.LabelArray().Distinct().Order().Select(l => (int)l)];
        var norms = new double[classes.Length];
        var masks = new float[classes.Length][];
        List<(Parameter Parameter, bool Trains)> parameters = [.. context.Model.Module.parameters().Select(p => (p, p.requires_grad))];
        bool wasTraining = context.Model.Module.training;
        context.Model.SetTrainingMode(false);
        foreach ((Parameter p, _) in parameters)
        {
            p.requires_grad_(false);
        }

        try
        {
            for (int i = 0; i < classes.Length; i++)
            {
                masks[i] = ReverseEngineer(context, classes[i], cancellationToken);
                norms[i] = masks[i].Sum(v => (double)v);
            }
        }
        finally
        {
            foreach ((Parameter p, bool trains) in parameters)
            {
                p.requires_grad_(trains);
            }

            context.Model.SetTrainingMode(wasTraining);
        }

        double median = Median(norms);
        double mad = Consistency * Median([.. norms.Select(n => Math.Abs(n - median))]);
        double[] index = [.. norms.Select(n => mad > 0 ? (median - n) / mad : 0)];
        bool allToOne = context.LabelMode == LabelMode.AllToOne;
        int position = allToOne ? Array.IndexOf(classes, context.TargetClass) : Array.IndexOf(index, index.Max());
        double target = position >= 0 ? index[position] : double.NaN;
        float[]? targetMask = position >= 0 ? masks[position] : null;
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["anomaly-index"] = target,
            ["target-flagged"] = allToOne ? (target > Options.Threshold ? 1 : 0) : double.NaN,
            ["classes-flagged"] = index.Count(i => i > Options.Threshold),
            ["target-mask-l1"] = position >= 0 ? norms[position] : double.NaN,
            ["median-mask-l1"] = median,
            ["mask-in-trigger"] = targetMask is null || context.Trigger is null ? double.NaN : InTrigger(targetMask, context.Transform.Size, context.Trigger),
        };
    }

    /// <summary>Searches a mask and pattern that send clean test images to <paramref name="label"/>; returns the smallest successful mask (row-major).</summary>
    private float[] ReverseEngineer(DefenseContext context, int label, CancellationToken cancellationToken)
    {
        int side = context.Transform.Size;
        var random = new Random(HashCode.Combine(context.Seed, label));
        using var scope = NewDisposeScope();
        var maskLogits = new Parameter(zeros([1, 1, side, side], device: context.Device));
        var patternLogits = new Parameter(zeros([1, 3, side, side], device: context.Device));
        using var optimizer = optim.Adam([maskLogits, patternLogits], lr: Options.LearningRate);
        double weight = Options.InitialMaskWeight;
        int above = 0, below = 0;
        float[]? best = null;
        double bestNorm = double.PositiveInfinity;
        for (int step = 0; step < Options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            long[] rows = [.. Enumerable.Range(0, Options.BatchSize).Select(_ => (long)random.Next(context.Test.Count))];
            Tensor images = context.Transform.Resize(context.Test.Images.index_select(0, tensor(rows))).to(context.Device);
            Tensor mask = maskLogits.sigmoid();
            Tensor stamped = images.mul(mask.neg().add(1)).add(patternLogits.sigmoid().mul(255).mul(mask));
            Tensor logits = context.Model.Forward(context.Transform.Normalize(stamped));
            Tensor targets = full([rows.Length], label, ScalarType.Int64, context.Device);
            Tensor l1 = mask.sum();
            Tensor loss = nn.functional.cross_entropy(logits, targets).add(l1.mul(weight));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            double success = logits.argmax(1).eq(targets).to_type(ScalarType.Float64).mean().item<double>();
            double norm = l1.item<float>();
            if (success >= Success && norm < bestNorm)
            {
                bestNorm = norm;
                best = mask.detach().cpu().flatten().data<float>().ToArray();
            }

            (above, below) = success >= Success ? (above + 1, 0) : (0, below + 1);
            if (above >= Patience)
            {
                weight *= Factor;
                above = 0;
            }
            else if (below >= Patience)
            {
                weight /= Factor;
                below = 0;
            }
        }

        return best ?? maskLogits.detach().sigmoid().cpu().flatten().data<float>().ToArray();
    }

    private static double InTrigger(float[] mask, int side, ITrigger trigger)
    {
        PixelRectangle r = trigger.Resolve(side, side);
        double total = mask.Sum(v => (double)v), inside = 0;
        for (int y = r.Y; y < r.Y + r.Height; y++)
        {
            for (int x = r.X; x < r.X + r.Width; x++)
            {
                inside += mask[(y * side) + x];
            }
        }

        return total > 0 ? inside / total : double.NaN;
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
