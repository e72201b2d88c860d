using BackdoorKit.Training;

namespace BackdoorKit.Defenses;

/// <summary>The settings of <see cref="FinePruningDefense"/>.</summary>
/// <remarks>Defaults: prune while clean accuracy drops by at most 4 points (the paper's), in steps of 5 % of the channels, then 2 epochs of Adam at lr 0.001.</remarks>
public sealed record FinePruningOptions
{
    /// <summary>Gets the default settings.</summary>
    public static FinePruningOptions Default { get; } = new();

    /// <summary>Gets the largest drop of clean accuracy (on the defender's images) pruning may cause, in (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 1].</exception>
    public double MaxAccuracyDrop
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAccuracyDrop), value, $"MaxAccuracyDrop must lie in (0, 1]; got {value}.");
    } = 0.04;

    /// <summary>Gets the share of the layer's channels pruned per step, in (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 1].</exception>
    public double Step
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Step), value, $"Step must lie in (0, 1]; got {value}.");
    } = 0.05;

    /// <summary>Gets the fine-tuning after pruning, on the defender's clean images.</summary>
    public TrainingOptions FineTuning
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(FineTuning));
    } = TrainingOptions.Default with { Epochs = 2, BatchSize = 32, LearningRate = 0.001 };
}
