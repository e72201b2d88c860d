namespace BackdoorKit.Defenses;

/// <summary>
/// A backdoor defense run on a trained experiment: it inspects the model, its inputs or its training data and reports
/// numbers (detection rates, anomaly indices, accuracy after removal). The runner stores them with the experiment's
/// metrics as <c>&lt;defense&gt;.&lt;metric&gt;</c> (<see cref="Experiments.ExperimentRunnerOptions.Defenses"/>).
/// </summary>
/// <remarks>Implementations are stateless and thread-safe; every random choice comes from <see cref="DefenseContext.Seed"/>.</remarks>
public interface IDefense
{
    /// <summary>Gets the defense's stable name, the prefix of its metrics (e.g. <c>strip</c>).</summary>
    string Name { get; }

    /// <summary>Runs the defense.</summary>
    /// <param name="context">The trained model, its test set, its trigger and where to compute.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The defense's metrics by name (without the prefix); values may be <see cref="double.NaN"/> when undefined.</returns>
    IReadOnlyDictionary<string, double> Inspect(DefenseContext context, CancellationToken cancellationToken = default);
}
