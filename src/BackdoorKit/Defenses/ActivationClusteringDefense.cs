using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// Activation Clustering (Chen et al., 2018, "Detecting Backdoor Attacks on Deep Neural Networks by Activation
/// Clustering"): in each class, reduce the head inputs of its training rows to a few dimensions, split them into two
/// clusters with k-means, and call the class poisoned when the smaller cluster is small (its relative size at most
/// <see cref="ActivationClusteringOptions.SizeThreshold"/>); the smaller cluster of a poisoned class is flagged.
/// </summary>
/// <remarks>
/// Deviation from the paper: the reduction is PCA (the top singular directions of the centered representations), not
/// ICA. k-means: Lloyd's algorithm from k-means++ seeds drawn with the context's seed, the best of 3 starts. Metrics:
/// <c>tpr</c> and <c>fpr</c> of the flagged rows against the poisoned ones, <c>target-flagged</c> (1 when the target
/// class counts as poisoned), <c>classes-flagged</c> (how many classes do), and <c>target-share</c> (the relative size
/// of the target class's smaller cluster); with <see cref="ActivationClusteringOptions.Retrain"/> also the clean accuracy
/// and ASR of the model trained again without the flagged rows (the paper's retraining remedy).
/// </remarks>
public sealed class ActivationClusteringDefense : IDefense
{
    private const int Starts = 3;
    private const int Iterations = 100;

    /// <summary>Initializes a new instance of the <see cref="ActivationClusteringDefense"/> class.</summary>
    /// <param name="options">The settings; <see cref="ActivationClusteringOptions.Default"/> when null.</param>
    public ActivationClusteringDefense(ActivationClusteringOptions? options = null) => Options = options ?? ActivationClusteringOptions.Default;

    /// <summary>Gets the settings.</summary>
    public ActivationClusteringOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Retrain ? "activation-clustering-retrain" : "activation-clustering";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Poisoning.PoisonedDataset training = Representations.TrainingSet(context, "Activation Clustering");
        using Tensor representations = Representations.Of(context, training, Options.BatchSize, cancellationToken);
        var random = new Random(context.Seed);
        var flagged = new List<int>();
        int classesFlagged = 0;
        double targetShare = double.NaN;
        foreach ((long label, int[] rows) in Representations.ByClass(training).OrderBy(c => c.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] assignment = TwoMeans(Reduce(representations, rows), random);
            int ones = assignment.Count(a => a == 1);
            int smaller = ones * 2 <= rows.Length ? 1 : 0;
            double share = Math.Min(ones, rows.Length - ones) / (double)rows.Length;
            if (label == context.TargetClass && context.LabelMode == Poisoning.LabelMode.AllToOne)
            {
                targetShare = share;
            }

            if (share <= Options.SizeThreshold)
            {
                classesFlagged++;
                flagged.AddRange(rows.Where((_, i) => assignment[i] == smaller));
            }
        }

        (double tpr, double fpr) = Representations.Rates(flagged, training);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["tpr"] = tpr,
            ["fpr"] = fpr,
            ["target-flagged"] = double.IsNaN(targetShare) ? double.NaN : targetShare <= Options.SizeThreshold ? 1 : 0,
            ["classes-flagged"] = classesFlagged,
            ["target-share"] = targetShare,
        };
        if (Options.Retrain)
        {
            Representations.AddRetrained(metrics, context, flagged, Name, cancellationToken);
        }

        return metrics;
    }

    /// <summary>The class's centered representations projected on their top principal directions, as rows of doubles.</summary>
    private double[][] Reduce(Tensor representations, int[] rows)
    {
        using var scope = NewDisposeScope();
        Tensor r = representations.index_select(0, tensor(rows.Select(i => (long)i).ToArray())).to_type(ScalarType.Float64);
        Tensor centered = r.sub(r.mean([0], keepdim: true));
        (_, _, Tensor vh) = linalg.svd(centered, fullMatrices: false);
        int k = (int)Math.Min(Options.Components, vh.shape[0]);
        Tensor reduced = centered.matmul(vh.narrow(0, 0, k).t()).contiguous();
        double[] flat = reduced.data<double>().ToArray();
        return [.. Enumerable.Range(0, rows.Length).Select(i => flat[(i * k)..((i + 1) * k)])];
    }

    /// <summary>Two-means clustering: the assignment (0 or 1) of each point, from the best of a few seeded starts.</summary>
    private static int[] TwoMeans(double[][] points, Random random)
    {
        if (points.Length < 2)
        {
            return new int[points.Length];
        }

        int[] best = [];
        double bestInertia = double.PositiveInfinity;
        for (int start = 0; start < Starts; start++)
        {
            double[][] centers = Seeds(points, random);
            var assignment = new int[points.Length];
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                bool changed = false;
                for (int i = 0; i < points.Length; i++)
                {
                    int nearest = Distance(points[i], centers[0]) <= Distance(points[i], centers[1]) ? 0 : 1;
                    changed |= nearest != assignment[i] || iteration == 0;
                    assignment[i] = nearest;
                }

                if (!changed)
                {
                    break;
                }

                for (int c = 0; c < 2; c++)
                {
                    double[][] members = [.. points.Where((_, i) => assignment[i] == c)];
                    if (members.Length > 0)
                    {
                        centers[c] = [.. Enumerable.Range(0, points[0].Length).Select(d => members.Average(m => m[d]))];
                    }
                }
            }

            double inertia = points.Select((p, i) => Distance(p, centers[assignment[i]])).Sum();
            if (inertia < bestInertia)
            {
                (best, bestInertia) = (assignment, inertia);
            }
        }

        return best;
    }

    /// <summary>k-means++ seeds for two clusters: a random point, then one drawn with probability proportional to its squared distance.</summary>
    private static double[][] Seeds(double[][] points, Random random)
    {
        double[] first = points[random.Next(points.Length)];
        double[] weights = [.. points.Select(p => Distance(p, first))];
        double total = weights.Sum();
        if (total <= 0)
        {
            return [first, points[random.Next(points.Length)]];
        }

        double pick = random.NextDouble() * total;
        int second = 0;
        for (double sum = weights[0]; sum < pick && second < points.Length - 1; sum += weights[++second])
        {
        }

        return [(double[])first.Clone(), (double[])points[second].Clone()];
    }

    private static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
