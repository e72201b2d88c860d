using System.Globalization;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// The WaNet trigger of Nguyen and Tran (2021): a k x k grid of random 2-D offsets in [-1, 1] (drawn from
/// <see cref="WarpTriggerOptions.FieldSeed"/>), divided by its mean absolute value, upsampled bicubically to the image
/// size, scaled by s / height and added to the identity sampling grid (clamped to [-1, 1]); each image is resampled
/// bilinearly on that grid. The warp moves the whole image, so <see cref="WholeImageTrigger.Resolve"/> is the whole image. The paper's
/// "noise mode" (extra training images warped by a randomly perturbed field, labels kept) belongs to a poisoner
/// (<see cref="Poisoning.WaNetNoisePoisoner"/>), which draws those images with a <see cref="NoisyWarpTrigger"/>.
/// </summary>
public sealed class WarpTrigger : WholeImageTrigger
{
    /// <summary>Initializes a new instance of the <see cref="WarpTrigger"/> class.</summary>
    /// <param name="options">Strength, grid size, seed and canvas.</param>
    public WarpTrigger(WarpTriggerOptions options)
        : base(Describe(options ?? throw new ArgumentNullException(nameof(options))), options.Canvas) => Options = options;

    /// <summary>Gets the settings.</summary>
    public WarpTriggerOptions Options { get; }

    /// <summary>Returns the sampling grid for an image size: <c>float32 [1, height, width, 2]</c> (x, y in [-1, 1]), on the CPU.</summary>
    /// <param name="height">The image height.</param>
    /// <param name="width">The image width.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Grid(int height, int width)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator((ulong)(uint)Options.FieldSeed);
        int k = Options.GridSize;
        Tensor control = rand([1, 2, k, k], generator: generator).mul_(2).sub_(1);
        control = control.div(control.abs().mean());
        Tensor field = nn.functional.interpolate(control, [height, width], mode: InterpolationMode.Bicubic, align_corners: true)
            .permute(0, 2, 3, 1);
        Tensor[] axes = meshgrid([linspace(-1, 1, height), linspace(-1, 1, width)], indexing: "ij");
        Tensor identity = stack([axes[1], axes[0]], dim: 2).unsqueeze(0);
        return identity.add(field.mul(Options.Strength / height)).clamp(-1, 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Apply(Tensor images, int sourceChannels = 3) =>
        Resample(images, sourceChannels, batch => Grid((int)batch.shape[2], (int)batch.shape[3]).expand(batch.shape[0], -1, -1, -1));

    /// <summary>Resamples images bilinearly (border padding) on the sampling grid <paramref name="grid"/> gives for the float batch.</summary>
    /// <param name="images">Images <c>[N, 3, H, W]</c> or <c>[3, H, W]</c> in 0-255.</param>
    /// <param name="sourceChannels">Channels of the source files.</param>
    /// <param name="grid">Gives the grid <c>[N, H, W, 2]</c> (any device) for a float <c>[N, 3, H, W]</c> batch.</param>
    /// <returns>The warped images, same shape, type and device.</returns>
    internal static Tensor Resample(Tensor images, int sourceChannels, Func<Tensor, Tensor> grid)
    {
        TriggerImages.Check(images, sourceChannels);
        using var scope = NewDisposeScope();
        bool single = images.dim() == 3;
        Tensor batch = (single ? images.unsqueeze(0) : images).to_type(ScalarType.Float32);
        Tensor warped = nn.functional.grid_sample(
            batch, grid(batch).to(images.device), mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Border, align_corners: true);
        Tensor result = TriggerImages.As(single ? warped.squeeze(0) : warped, images.dtype);
        return result.MoveToOuterDisposeScope();
    }

    private static string Describe(WarpTriggerOptions o) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"wanet(strength={o.Strength},grid={o.GridSize},seed={o.FieldSeed},canvas={TriggerNames.Canvas(o.Canvas)})");
}
