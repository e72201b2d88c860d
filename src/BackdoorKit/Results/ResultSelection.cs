using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>Finds the experiments of a study that an analysis starts from, such as the backdoor to explain and its clean twin.</summary>
public static class ResultSelection
{
    /// <summary>Tells whether a result is of a finished backdoored experiment: a trigger, a poisoning rate above 0 and an ASR.</summary>
    /// <param name="result">The result.</param>
    /// <returns>Whether it is backdoored.</returns>
    public static bool IsBackdoored(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Spec.Trigger is not null && !result.Spec.IsClean && result.AttackSuccessRate is not null;
    }

    /// <summary>Finds the result of a backdoored experiment by its id, for an analysis that names the experiment.</summary>
    /// <param name="results">The study's results.</param>
    /// <param name="experimentId">The experiment's id.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">No result has the id, or it is not of a finished backdoored experiment (<see cref="IsBackdoored"/>).</exception>
    public static ExperimentResult NamedBackdoor(IEnumerable<ExperimentResult> results, string experimentId)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(experimentId);
        IReadOnlyCollection<ExperimentResult> all = [.. results];
        ExperimentResult found = all.FirstOrDefault(r => r.ExperimentId == experimentId)
            ?? throw new ArgumentException($"no result with id '{experimentId}' in the study ({all.Count} results).", nameof(experimentId));
        return IsBackdoored(found)
            ? found
            : throw new ArgumentException($"'{experimentId}' is a clean experiment (no trigger, poisoning rate 0 or no ASR); name a backdoored one.", nameof(experimentId));
    }

    /// <summary>
    /// Finds the most successful backdoor: from the main grid (<see cref="ExperimentSpec.Block"/> null) when it has a
    /// backdoored result, else from the blocks; the highest ASR, then the highest clean accuracy, then the smallest id.
    /// </summary>
    /// <param name="results">The study's results.</param>
    /// <returns>The result, or null when the study holds no backdoored one.</returns>
    public static ExperimentResult? MostSuccessfulBackdoor(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Where(IsBackdoored)
            .OrderBy(r => r.Spec.Block is not null)
            .ThenByDescending(r => r.AttackSuccessRate)
            .ThenByDescending(r => r.CleanAccuracy)
            .ThenBy(r => r.ExperimentId, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>
    /// Finds the clean twin of a backdoored experiment: the study's clean experiment of the same dataset, model, freeze
    /// strategy, protocol, block, training, weights, limits, input size and repetition (the same seed first); when the study has
    /// none, the backdoored spec with poisoning rate 0.
    /// </summary>
    /// <param name="results">The study's results.</param>
    /// <param name="backdoored">The backdoored experiment.</param>
    /// <returns>The clean spec, and whether it comes from the study.</returns>
    public static (ExperimentSpec Spec, bool FromStudy) CleanCounterpart(IEnumerable<ExperimentResult> results, ExperimentSpec backdoored)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(backdoored);
        ExperimentSpec? match = results.Select(r => r.Spec)
            .Where(s => s.IsClean && s.Dataset == backdoored.Dataset && s.Model == backdoored.Model
                && s.FreezeStrategy == backdoored.FreezeStrategy && s.Protocol == backdoored.Protocol && s.Block == backdoored.Block
                && s.Training == backdoored.Training && s.Weights == backdoored.Weights && s.TrainLimit == backdoored.TrainLimit
                && s.TestLimit == backdoored.TestLimit && s.InputSize == backdoored.InputSize && s.Repetition == backdoored.Repetition)
            .OrderByDescending(s => s.Seed == backdoored.Seed)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        return match is null ? (backdoored with { PoisoningRate = 0 }, false) : (match, true);
    }
}
