using BackdoorKit.Experiments;
namespace BackdoorKit.Studies;

/// <summary>A study progress report, sent when an experiment starts and when it finishes.</summary>
/// <param name="Done">Experiments finished in this run plus those already stored.</param>
/// <param name="Total">Experiments in the plan (or shard).</param>
/// <param name="Current">The experiment that just started or finished.</param>
/// <param name="Finished">Whether <paramref name="Current"/> just finished (false: just started).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Remaining">Estimated time to finish, from the mean duration of this run's experiments; null before the first.</param>
/// <param name="Result">The result of <paramref name="Current"/> when it just finished successfully, else null.</param>
/// <param name="Failure">The failure of <paramref name="Current"/> when it just failed, else null.</param>
public readonly record struct StudyProgress(
    int Done,
    int Total,
    ExperimentSpec Current,
    bool Finished,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    ExperimentResult? Result = null,
    ExperimentFailure? Failure = null);
