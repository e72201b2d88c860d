namespace BackdoorKit.Triggers;

/// <summary>
/// The settings of a <see cref="SinusoidalTrigger"/> (Barni et al., 2019, "A New Backdoor Attack in CNNs by Training Set
/// Corruption Without Label Poisoning"): a horizontal sinusoid added to every row.
/// </summary>
/// <remarks>Defaults: the paper's amplitude 20 and frequency 6, drawn on the model input.</remarks>
public sealed record SinusoidalTriggerOptions
{
    /// <summary>Gets the amplitude Delta in pixel values (0-255 scale), in <c>(0, 255]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>(0, 255]</c>.</exception>
    public double Amplitude
    {
        get;
        init => field = TriggerSettings.InRange(value, 255, nameof(Amplitude));
    } = 20;

    /// <summary>Gets the frequency f: full periods across the image width, in <c>(0, 1000]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>(0, 1000]</c>.</exception>
    public double Frequency
    {
        get;
        init => field = TriggerSettings.InRange(value, 1000, nameof(Frequency));
    } = 6;

    /// <summary>Gets the canvas the signal is added to.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TriggerCanvas"/>.</exception>
    public TriggerCanvas Canvas
    {
        get;
        init => field = TriggerSettings.Defined(value, nameof(Canvas));
    } = TriggerCanvas.ModelInput;
}
