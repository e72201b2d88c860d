namespace BackdoorKit.Reporting;

/// <summary>Which attack success rate a report's tables, figures and findings use.</summary>
public enum AsrDefinition
{
    /// <summary>
    /// Triggered test images whose clean label is not the target class, counted as successes when classified as the target
    /// (<see cref="Experiments.ExperimentResult.AttackSuccessRate"/>): 0 for a model that ignores the trigger.
    /// </summary>
    ExcludingTarget,

    /// <summary>
    /// Every triggered test image, target-class images included (<see cref="Experiments.ExperimentResult.AttackSuccessRateIncludingTarget"/>),
    /// as the paper's published code counts: a model that ignores the trigger still scores the target class's share
    /// (about 10 % on 10 balanced classes).
    /// </summary>
    IncludingTarget,
}
