namespace BackdoorKit.Defenses;

/// <summary>The settings of <see cref="StripDefense"/>.</summary>
/// <remarks>Defaults: 32 overlays per input, 200 clean and 200 triggered inputs, a 1 % false rejection rate.</remarks>
public sealed record StripOptions
{
    /// <summary>Gets the default settings.</summary>
    public static StripOptions Default { get; } = new();

    /// <summary>Gets N, the clean images superimposed on each inspected input, in [2, 1000] (the paper uses 100).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [2, 1000].</exception>
    public int Overlays
    {
        get;
        init => field = value is >= 2 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(Overlays), value, $"Overlays must lie in [2, 1000]; got {value}.");
    } = 32;

    /// <summary>Gets how many clean and how many triggered test inputs are inspected (at most; fewer when the test set is small), in [10, 100000].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [10, 100000].</exception>
    public int Inputs
    {
        get;
        init => field = value is >= 10 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(Inputs), value, $"Inputs must lie in [10, 100000]; got {value}.");
    } = 200;

    /// <summary>Gets the false rejection rate on clean inputs the detection threshold is set at, in (0, 0.5].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 0.5].</exception>
    public double FalseRejectionRate
    {
        get;
        init => field = value is > 0 and <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(FalseRejectionRate), value, $"FalseRejectionRate must lie in (0, 0.5]; got {value}.");
    } = 0.01;

    /// <summary>Gets how many superimposed images go through the model at once, in [1, 65536].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 65536].</exception>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BatchSize must lie in [1, 65536]; got {value}.");
    } = 256;
}
