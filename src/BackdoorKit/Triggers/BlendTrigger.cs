using System.Globalization;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// The blended trigger of Chen et al. (2017): every pixel becomes <c>(1 - alpha) x + alpha p</c>, with p a fixed image of
/// uniform noise in 0-255 (one value per pixel and channel, drawn from <see cref="BlendTriggerOptions.PatternSeed"/>) or
/// a picture (<see cref="BlendTriggerOptions.Image"/>) resized to the image. It changes the whole image, so
/// <see cref="WholeImageTrigger.Resolve"/> is the whole image.
/// </summary>
public sealed class BlendTrigger : WholeImageTrigger
{
    /// <summary>Initializes a new instance of the <see cref="BlendTrigger"/> class.</summary>
    /// <param name="options">Alpha, pattern seed and canvas.</param>
    public BlendTrigger(BlendTriggerOptions options)
        : base(Describe(options ?? throw new ArgumentNullException(nameof(options))), options.Canvas) => Options = options;

    /// <summary>Gets the settings.</summary>
    public BlendTriggerOptions Options { get; }

    /// <summary>Returns the pattern for an image size: <c>float32 [3, height, width]</c> in 0-255, on the CPU.</summary>
    /// <param name="height">The image height.</param>
    /// <param name="width">The image width.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Pattern(int height, int width)
    {
        TorchRuntime.EnsureInitialized();
        if (Options.Image is { } image)
        {
            return image.Resized(height, width, CPU);
        }

        using var generator = new TorchSharp.torch.Generator((ulong)(uint)Options.PatternSeed);
        return rand([3, height, width], generator: generator).mul_(255);
    }

    /// <inheritdoc />
    public override Tensor Apply(Tensor images, int sourceChannels = 3)
    {
        TriggerImages.Check(images, sourceChannels);
        using var scope = NewDisposeScope();
        Tensor pattern = Pattern((int)images.shape[^2], (int)images.shape[^1]).to(images.device);
        Tensor mixed = images.to_type(ScalarType.Float32).mul(1 - Options.Alpha).add_(pattern.mul(Options.Alpha));
        return TriggerImages.As(mixed, images.dtype).MoveToOuterDisposeScope();
    }

    private static string Describe(BlendTriggerOptions o) => o.Image is { } image
        ? string.Create(CultureInfo.InvariantCulture, $"blend(alpha={o.Alpha},pattern=image,image={image},canvas={TriggerNames.Canvas(o.Canvas)})")
        : string.Create(CultureInfo.InvariantCulture, $"blend(alpha={o.Alpha},pattern=noise,seed={o.PatternSeed},canvas={TriggerNames.Canvas(o.Canvas)})");
}
