namespace BackdoorKit.Defenses;

/// <summary>The settings of <see cref="ActivationClusteringDefense"/>.</summary>
public sealed record ActivationClusteringOptions
{
    /// <summary>Gets the default settings: 10 components, a class is poisoned when its smaller cluster holds at most 35 %.</summary>
    public static ActivationClusteringOptions Default { get; } = new();

    /// <summary>Gets the dimensions the representations are reduced to before clustering (the paper's 10), in [1, 256].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 256].</exception>
    public int Components
    {
        get;
        init => field = value is >= 1 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(Components), value, $"Components must lie in [1, 256]; got {value}.");
    } = 10;

    /// <summary>Gets the largest share of its class the smaller cluster may hold for the class to count as poisoned, in (0, 0.5].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 0.5].</exception>
    public double SizeThreshold
    {
        get;
        init => field = value is > 0 and <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(SizeThreshold), value, $"SizeThreshold must lie in (0, 0.5]; got {value}.");
    } = 0.35;

    /// <summary>Gets how many rows go through the model at once, in [1, 65536].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 65536].</exception>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BatchSize must lie in [1, 65536]; got {value}.");
    } = 256;

    /// <summary>
    /// Gets a value indicating whether the model is trained again without the flagged rows (it costs a training), adding
    /// the metrics <c>retrained-clean-accuracy</c> and <c>retrained-asr</c>; the defense is then named with <c>-retrain</c>.
    /// </summary>
    public bool Retrain { get; init; }
}
