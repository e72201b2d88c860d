using static TorchSharp.torch;

namespace BackdoorKit.Defenses;

/// <summary>
/// Spectral Signatures (Tran, Li and Madry, 2018, "Spectral Signatures in Backdoor Attacks"): in each class, center the
/// head inputs of its training rows, project them on their top singular vector, and flag the rows with the largest
/// squared projections, 1.5 eps of the class (<see cref="SpectralSignatureOptions.RemovalFactor"/>).
/// </summary>
/// <remarks>
/// eps is the paper's bound on the poisoned share of a class, given to the defender as the attack's budget: the poisoned
/// rows over the rows labelled with the target class (an oracle eps, applied to every class since the defender does not
/// know the target; for an all-to-all attack, whose poisoned rows spread over every class, the poisoned share of the
/// whole set; <see cref="SpectralSignatureOptions.CleanAssumedRate"/> for a clean model). Classes are the labels
/// the model trained with. Metrics: <c>tpr</c> and <c>fpr</c> of the flagged rows against the poisoned ones (NaN for a clean
/// model's tpr), <c>auroc</c> of the scores separating poisoned from clean rows within the target class (over all
/// classes for an all-to-all attack; independent of the cut), and <c>flagged</c> (the share of the training set flagged). Retraining without the flagged rows is not done.
/// </remarks>
public sealed class SpectralSignatureDefense : IDefense
{
    /// <summary>Initializes a new instance of the <see cref="SpectralSignatureDefense"/> class.</summary>
    /// <param name="options">The settings; <see cref="SpectralSignatureOptions.Default"/> when null.</param>
    public SpectralSignatureDefense(SpectralSignatureOptions? options = null) => Options = options ?? SpectralSignatureOptions.Default;

    /// <summary>Gets the settings.</summary>
    public SpectralSignatureOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Retrain ? "spectral-retrain" : "spectral";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Poisoning.PoisonedDataset training = Representations.TrainingSet(context, "Spectral Signatures");
        using Tensor representations = Representations.Of(context, training, Options.BatchSize, cancellationToken);
        IReadOnlyDictionary<long, int[]> classes = Representations.ByClass(training);
        bool allToOne = context.LabelMode == Poisoning.LabelMode.AllToOne;
        double eps = training.PoisonedIndices.Count == 0 ? Options.CleanAssumedRate
            : !allToOne ? training.PoisonedIndices.Count / (double)training.Count
            : classes.TryGetValue(context.TargetClass, out int[]? target) ? training.PoisonedIndices.Count / (double)target.Length
            : Options.CleanAssumedRate;
        List<double> poisonedScores = [], cleanScores = [];
        var poisoned = training.PoisonedIndices.ToHashSet();
        var flagged = new List<int>();
        foreach ((long label, int[] rows) in classes)
        {
            double[] scores = Scores(representations, rows);
            int remove = Math.Min(rows.Length, (int)Math.Floor(Options.RemovalFactor * eps * rows.Length));
            flagged.AddRange(rows.Select((row, i) => (row, score: scores[i])).OrderByDescending(x => x.score).Take(remove).Select(x => x.row));
            if (!allToOne || label == context.TargetClass)
            {
                poisonedScores.AddRange(rows.Select((row, i) => (row, i)).Where(x => poisoned.Contains(x.row)).Select(x => scores[x.i]));
                cleanScores.AddRange(rows.Select((row, i) => (row, i)).Where(x => !poisoned.Contains(x.row)).Select(x => scores[x.i]));
            }
        }

        double auroc = poisonedScores.Count + cleanScores.Count > 0 ? Roc.Auroc([.. poisonedScores], [.. cleanScores]) : double.NaN;

        (double tpr, double fpr) = Representations.Rates(flagged, training);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["tpr"] = tpr,
            ["fpr"] = fpr,
            ["auroc"] = auroc,
            ["flagged"] = flagged.Count / (double)training.Count,
        };
        if (Options.Retrain)
        {
            Representations.AddRetrained(metrics, context, flagged, Name, cancellationToken);
        }

        return metrics;
    }

    /// <summary>The squared projections of a class's centered representations on their top singular vector.</summary>
    private static double[] Scores(Tensor representations, int[] rows)
    {
        using var scope = NewDisposeScope();
        Tensor r = representations.index_select(0, tensor(rows.Select(i => (long)i).ToArray())).to_type(ScalarType.Float64);
        Tensor centered = r.sub(r.mean([0], keepdim: true));
        if (rows.Length < 2)
        {
            return new double[rows.Length];
        }

        (_, _, Tensor vh) = linalg.svd(centered, fullMatrices: false);
        return centered.matmul(vh[0]).square().data<double>().ToArray();
    }
}
