namespace BackdoorKit.Triggers;

/// <summary>
/// The settings of a <see cref="BlendTrigger"/> (Chen et al., 2017, "Targeted Backdoor Attacks on Deep Learning Systems
/// Using Data Poisoning"): a fixed pattern mixed into the whole image with weight alpha: seeded uniform noise, or a
/// picture of one's own (<see cref="Image"/>, as the paper's blended photo).
/// </summary>
/// <remarks>Defaults: alpha 0.1, pattern seed 0, drawn on the model input.</remarks>
public sealed record BlendTriggerOptions
{
    /// <summary>Gets the weight of the pattern, in <c>(0, 1]</c>: the result is <c>(1 - alpha) x + alpha pattern</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>(0, 1]</c>.</exception>
    public double Alpha
    {
        get;
        init => field = TriggerSettings.InRange(value, 1, nameof(Alpha));
    } = 0.1;

    /// <summary>Gets the seed of the noise pattern; the same seed and image size give the same pattern on every machine.</summary>
    public int PatternSeed { get; init; }

    /// <summary>Gets the picture mixed in instead of noise, resized bilinearly to the canvas; null for the noise pattern.</summary>
    public TriggerImage? Image { get; init; }

    /// <summary>Gets the canvas the pattern is mixed into.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerCanvas"/>.</exception>
    public TriggerCanvas Canvas
    {
        get;
        init => field = TriggerSettings.Defined(value, nameof(Canvas));
    } = TriggerCanvas.ModelInput;
}
