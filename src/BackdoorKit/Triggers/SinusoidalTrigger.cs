using System.Globalization;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// The SIG trigger of Barni et al. (2019): pixel (i, j) of every channel becomes <c>x + Delta sin(2 pi j f / m)</c>, with m
/// the image width, clamped to 0-255. It changes the whole image, so <see cref="WholeImageTrigger.Resolve"/> is the whole image.
/// </summary>
public sealed class SinusoidalTrigger : WholeImageTrigger
{
    /// <summary>Initializes a new instance of the <see cref="SinusoidalTrigger"/> class.</summary>
    /// <param name="options">Amplitude, frequency and canvas.</param>
    public SinusoidalTrigger(SinusoidalTriggerOptions options)
        : base(Describe(options ?? throw new ArgumentNullException(nameof(options))), options.Canvas) => Options = options;

    /// <summary>Gets the settings.</summary>
    public SinusoidalTriggerOptions Options { get; }

    /// <inheritdoc />
    public override Tensor Apply(Tensor images, int sourceChannels = 3)
    {
        TriggerImages.Check(images, sourceChannels);
        using var scope = NewDisposeScope();
        long width = images.shape[^1];
        var signal = new float[width];
        for (long j = 0; j < width; j++)
        {
            signal[j] = (float)(Options.Amplitude * Math.Sin(2 * Math.PI * j * Options.Frequency / width));
        }

        Tensor row = tensor(signal, [1, width]).to(images.device);
        return TriggerImages.As(images.to_type(ScalarType.Float32).add(row), images.dtype).MoveToOuterDisposeScope();
    }

    private static string Describe(SinusoidalTriggerOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"sig(amplitude={o.Amplitude},frequency={o.Frequency},canvas={TriggerNames.Canvas(o.Canvas)})");
}
