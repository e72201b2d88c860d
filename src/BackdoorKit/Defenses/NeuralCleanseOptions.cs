namespace BackdoorKit.Defenses;

/// <summary>The settings of <see cref="NeuralCleanseDefense"/>.</summary>
/// <remarks>
/// Defaults follow the paper's schedule at a smaller budget: 400 Adam steps (lr 0.1) per class on batches of 64 clean
/// images, the mask weight starting at 0.001 and multiplied or divided by 1.5 after 10 steps at or below 99 % attack
/// success.
/// </remarks>
public sealed record NeuralCleanseOptions
{
    /// <summary>Gets the default settings.</summary>
    public static NeuralCleanseOptions Default { get; } = new();

    /// <summary>Gets the optimisation steps per class, in [1, 100000].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 100000].</exception>
    public int Steps
    {
        get;
        init => field = value is >= 1 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(Steps), value, $"Steps must lie in [1, 100000]; got {value}.");
    } = 400;

    /// <summary>Gets the clean images per step, in [1, 4096].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 4096].</exception>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BatchSize must lie in [1, 4096]; got {value}.");
    } = 64;

    /// <summary>Gets Adam's learning rate for the mask and pattern parameters, in (0, 10].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 10].</exception>
    public double LearningRate
    {
        get;
        init => field = value is > 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"LearningRate must lie in (0, 10]; got {value}.");
    } = 0.1;

    /// <summary>Gets the initial weight of the mask's L1 norm in the loss (the paper's 1e-3), in (0, 1000].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 1000].</exception>
    public double InitialMaskWeight
    {
        get;
        init => field = value is > 0 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(InitialMaskWeight), value, $"InitialMaskWeight must lie in (0, 1000]; got {value}.");
    } = 0.001;

    /// <summary>Gets the anomaly index above which a class counts as backdoored (the paper's 2), in (0, 100].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 100].</exception>
    public double Threshold
    {
        get;
        init => field = value is > 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Threshold), value, $"Threshold must lie in (0, 100]; got {value}.");
    } = 2;
}
