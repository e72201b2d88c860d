using BackdoorKit.Experiments;

namespace BackdoorKit.Results;

/// <summary>Where a study keeps its results: each result written atomically the moment it is added.</summary>
public interface IResultStore : IDisposable
{
    /// <summary>Gets the ids of the experiments that have a result.</summary>
    /// <returns>The ids.</returns>
    IReadOnlySet<string> CompletedIds();

    /// <summary>
    /// Adds a result atomically and removes a recorded failure of the same experiment. Adding a result whose id is stored
    /// with identical numbers does nothing.
    /// </summary>
    /// <param name="result">The result.</param>
    /// <returns><see langword="true"/> when the result was new.</returns>
    /// <exception cref="ResultConflictException">A different result with the same id is stored.</exception>
    bool Add(ExperimentResult result);

    /// <summary>Reads every stored result, ordered by experiment id.</summary>
    /// <returns>The results.</returns>
    IReadOnlyList<ExperimentResult> ReadAll();

    /// <summary>
    /// Records that an experiment failed, replacing an earlier failure of the same experiment. A failure never counts
    /// as done; adding a result for the experiment later removes it.
    /// </summary>
    /// <param name="failure">The failure.</param>
    void AddFailure(ExperimentFailure failure);

    /// <summary>Reads the experiments whose last attempt failed and that have no result, ordered by experiment id.</summary>
    /// <returns>The failures.</returns>
    IReadOnlyList<ExperimentFailure> ReadFailures();
}
