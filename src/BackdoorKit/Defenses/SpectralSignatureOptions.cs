namespace BackdoorKit.Defenses;

/// <summary>The settings of <see cref="SpectralSignatureDefense"/>.</summary>
public sealed record SpectralSignatureOptions
{
    /// <summary>Gets the default settings: remove 1.5 eps of each class, eps 0.05 when the training set holds no poisoned row.</summary>
    public static SpectralSignatureOptions Default { get; } = new();

    /// <summary>Gets the multiple of eps removed from each class (the paper's 1.5), in (0, 10].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 10].</exception>
    public double RemovalFactor
    {
        get;
        init => field = value is > 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(RemovalFactor), value, $"RemovalFactor must lie in (0, 10]; got {value}.");
    } = 1.5;

    /// <summary>Gets eps when the training set holds no poisoned row (a clean model), in (0, 0.5].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 0.5].</exception>
    public double CleanAssumedRate
    {
        get;
        init => field = value is > 0 and <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(CleanAssumedRate), value, $"CleanAssumedRate must lie in (0, 0.5]; got {value}.");
    } = 0.05;

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
