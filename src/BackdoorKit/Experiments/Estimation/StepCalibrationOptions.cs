using BackdoorKit.Training;

namespace BackdoorKit.Experiments.Estimation;

/// <summary>How <see cref="StepCalibrator"/> measures: the time it may spend per cell, the small batch sizes it fits on, and where it computes.</summary>
public sealed record StepCalibrationOptions
{
    /// <summary>Gets the defaults: 4 s per cell, batch sizes 2 and 8, at most 8 timed steps per batch size, LibTorch's own thread count.</summary>
    public static StepCalibrationOptions Default { get; } = new();

    /// <summary>
    /// Gets the time the measurements of one cell may take, in (0, 10 min]. The warm-up and two steps per small batch
    /// size (one untimed) always run, so a cell whose steps are slower than this takes longer; larger batch sizes, up to
    /// the real one, are measured only when their predicted steps fit in what is left.
    /// </summary>
    public TimeSpan BudgetPerCell
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BudgetPerCell), value, $"BudgetPerCell must be in (0, 10 min]; got {value}.");
    } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Gets the small batch sizes measured before the real one, each in [2, 65536] and distinct (batch normalisation
    /// cannot train on one sample); sizes not below a cell's real batch size are skipped.
    /// </summary>
    public IReadOnlyList<int> SmallBatchSizes
    {
        get;
        init => field = value is { Count: > 0 } && value.All(b => b is >= 2 and <= 65_536) && value.Distinct().Count() == value.Count
            ? [.. value.Order()]
            : throw new ArgumentOutOfRangeException(
                nameof(SmallBatchSizes),
                value is null ? "null" : string.Join(", ", value),
                $"SmallBatchSizes must hold distinct sizes in [2, 65536]; got [{(value is null ? "null" : string.Join(", ", value))}].");
    } = [2, 8];

    /// <summary>Gets the most steps timed at one batch size, in [1, 1000].</summary>
    public int MaxStepsPerBatchSize
    {
        get;
        init => field = value is >= 1 and <= 1000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxStepsPerBatchSize), value, $"MaxStepsPerBatchSize must be in [1, 1000]; got {value}.");
    } = 8;

    /// <summary>Gets the device and thread count, as the runs will use them.</summary>
    public ComputeOptions Compute
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Compute), "Compute must not be null.");
    } = ComputeOptions.Default;

    /// <summary>Gets the catalog the specs' names resolve through, as the runs will use it.</summary>
    public ComponentCatalog Catalog
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Catalog), "Catalog must not be null.");
    } = ComponentCatalog.Default;

    /// <summary>
    /// Gets whether the runner being estimated caches frozen-prefix features (<see cref="ExperimentRunnerOptions.FeatureCache"/>,
    /// on by default): cells whose frozen prefix is cacheable are then measured as the runner runs them, on features.
    /// </summary>
    public bool FeatureCache { get; init; } = true;
}
