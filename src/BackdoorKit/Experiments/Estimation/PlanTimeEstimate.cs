namespace BackdoorKit.Experiments.Estimation;

/// <summary>The estimated time of a plan run one experiment at a time on the calibrated machine, by cell.</summary>
/// <param name="Cells">The cells, in the order they first appear in the plan.</param>
public sealed record PlanTimeEstimate(IReadOnlyList<CellTimeEstimate> Cells)
{
    /// <summary>Gets the total in seconds.</summary>
    public double Seconds => Cells.Sum(c => c.Seconds);
}
