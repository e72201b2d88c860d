using BackdoorKit.Experiments;
namespace BackdoorKit.Studies;

/// <summary>What one call of <see cref="StudyRunner.Run"/> did.</summary>
/// <param name="Total">Distinct experiments in the list given to the runner.</param>
/// <param name="AlreadyDone">Experiments that had a stored result before the call.</param>
/// <param name="Succeeded">Experiments run now that stored a result.</param>
/// <param name="Failed">Experiments run now that failed (stored as failures; the next run retries them).</param>
public readonly record struct StudyRunSummary(int Total, int AlreadyDone, int Succeeded, int Failed)
{
    /// <summary>Gets the number of experiments run now.</summary>
    public int Ran => Succeeded + Failed;

    /// <summary>Gets the number of experiments that still have no result.</summary>
    public int Pending => Total - AlreadyDone - Succeeded;
}
