namespace BackdoorKit.Triggers;

/// <summary>
/// The settings of a <see cref="WarpTrigger"/> (Nguyen and Tran, 2021, "WaNet: Imperceptible Warping-based Backdoor
/// Attack"): a smooth, fixed warping field.
/// </summary>
/// <remarks>Defaults: the paper's strength s = 0.5 and control grid k = 4, field seed 0, drawn on the model input.</remarks>
public sealed record WarpTriggerOptions
{
    /// <summary>Gets the strength s, in <c>(0, 1]</c>: the largest displacement is about s pixels of the image height's scale.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>(0, 1]</c>.</exception>
    public double Strength
    {
        get;
        init => field = TriggerSettings.InRange(value, 1, nameof(Strength));
    } = 0.5;

    /// <summary>Gets the side k of the random control grid, in <c>[2, 64]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>[2, 64]</c>.</exception>
    public int GridSize
    {
        get;
        init => field = value is >= 2 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(GridSize), value, $"GridSize must lie in [2, 64]; got {value}.");
    } = 4;

    /// <summary>Gets the seed of the control grid; the same seed gives the same field on every machine.</summary>
    public int FieldSeed { get; init; }

    /// <summary>Gets the canvas the image is warped on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerCanvas"/>.</exception>
    public TriggerCanvas Canvas
    {
        get;
        init => field = TriggerSettings.Defined(value, nameof(Canvas));
    } = TriggerCanvas.ModelInput;
}
