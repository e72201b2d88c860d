using System.Globalization;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// The warp of WaNet's noise mode (Nguyen and Tran, 2021): a <see cref="WarpTrigger"/>'s sampling grid plus, per image and
/// pixel, uniform noise in <c>[-1, 1] / height</c> (clamped to <c>[-1, 1]</c>), as the authors' code perturbs the grid of
/// its "cross" samples. Images warped this way keep their labels, so the model learns that only the exact warp is the
/// trigger (<see cref="Poisoning.WaNetNoisePoisoner"/>).
/// </summary>
/// <remarks>
/// The authors draw fresh noise at every step. Here each image's noise is drawn from a generator seeded with
/// <see cref="NoiseSeed"/> and the image's own pixels, so the same image always gets the same perturbation: the
/// trigger is deterministic and thread-safe like every other, and cached features stay exact. A different image gets
/// different noise, so the model still sees many perturbed warps.
/// </remarks>
public sealed class NoisyWarpTrigger : WholeImageTrigger
{
    /// <summary>Initializes a new instance of the <see cref="NoisyWarpTrigger"/> class.</summary>
    /// <param name="warp">The backdoor's warp, whose field is perturbed.</param>
    /// <param name="noiseSeed">Mixed into each image's noise seed.</param>
    public NoisyWarpTrigger(WarpTrigger warp, int noiseSeed = 0)
        : base(Describe(warp ?? throw new ArgumentNullException(nameof(warp)), noiseSeed), warp.Canvas)
    {
        Warp = warp;
        NoiseSeed = noiseSeed;
    }

    /// <summary>Gets the warp whose field is perturbed.</summary>
    public WarpTrigger Warp { get; }

    /// <summary>Gets the seed mixed into each image's noise.</summary>
    public int NoiseSeed { get; }

    /// <inheritdoc />
    public override Tensor Apply(Tensor images, int sourceChannels = 3) => WarpTrigger.Resample(images, sourceChannels, batch =>
    {
        TorchRuntime.EnsureInitialized();
        int height = (int)batch.shape[2], width = (int)batch.shape[3];
        Tensor field = Warp.Grid(height, width);
        Tensor noise = cat([.. ContentSeeds(batch).Select(seed => Noise(seed, height, width))], 0);
        return field.add(noise.div(height)).clamp(-1, 1);
    });

    /// <summary>One seed per image from its pixels (truncated to integers) and <see cref="NoiseSeed"/>; the same on every machine.</summary>
    private long[] ContentSeeds(Tensor batch)
    {
        using var scope = NewDisposeScope();
        Tensor pixels = batch.flatten(1).to_type(ScalarType.Int64).cpu();
        Tensor weights = arange(pixels.shape[1], ScalarType.Int64).remainder_(65521).add_(1);
        long[] sums = pixels.mul(weights).sum([1]).data<long>().ToArray();
        return [.. sums.Select(sum => unchecked((sum * 1_000_003L) + NoiseSeed))];
    }

    private static Tensor Noise(long seed, int height, int width)
    {
        using var generator = new TorchSharp.torch.Generator(unchecked((ulong)seed));
        return rand([1, height, width, 2], generator: generator).mul_(2).sub_(1);
    }

    private static string Describe(WarpTrigger warp, int noiseSeed) =>
        string.Create(CultureInfo.InvariantCulture, $"wanet-noise({warp.Description},noiseSeed={noiseSeed})");
}
