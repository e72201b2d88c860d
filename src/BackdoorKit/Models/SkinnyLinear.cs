using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// A drop-in for a trained <c>nn.Linear</c> (same parameters, same key names) whose forward and backward run
/// <see cref="SkinnyLinearKernels"/> when a small CPU batch multiplies a large weight: AlexNet's and VGG's classifiers at
/// the batch sizes of a few images, where LibTorch's GEMM reads the weight far below memory bandwidth. Larger batches,
/// other devices and other types take <c>functional.linear</c>, LibTorch's own path.
/// </summary>
/// <remarks>
/// The weight gradient is written into <c>weight.grad</c> by the backward pass itself: added to a gradient that exists
/// (as autograd accumulates), or written into a buffer this layer keeps between steps when the gradient was set to none,
/// which spares a 151 MB allocation and its page faults per step. A gradient handed out earlier is then overwritten by
/// the next backward pass, as when gradients are zeroed in place.
/// </remarks>
internal sealed class SkinnyLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>Batches up to this many rows take the kernels.</summary>
    internal const int MaxRows = 16;

    /// <summary>Weights below this many elements take LibTorch's path by default: there its overhead, not the weight's bandwidth, dominates.</summary>
    internal const long DefaultMinWeightElements = 1 << 20;

    private readonly long minWeightElements;

#pragma warning disable IDE1006, SA1300, SA1307 // torchvision's key names: weight, bias
    private readonly Parameter weight;
    private readonly Parameter? bias;
#pragma warning restore IDE1006, SA1300, SA1307

    /// <summary>Initializes a new instance of the <see cref="SkinnyLinear"/> class with the parameters of <paramref name="linear"/>.</summary>
    /// <param name="linear">The layer whose weight and bias this one takes over (shared, not copied).</param>
    /// <param name="minWeightElements">Smaller weights take LibTorch's path.</param>
    internal SkinnyLinear(Linear linear, long minWeightElements = DefaultMinWeightElements)
        : base(nameof(SkinnyLinear))
    {
        this.minWeightElements = minWeightElements;
        weight = linear.weight ?? throw new ArgumentException("the linear layer has no weight.", nameof(linear));
        bias = linear.bias;
        RegisterComponents();
    }

    /// <summary>Gets the weight, <c>[out, in]</c>.</summary>
    internal Parameter Weight => weight;

    /// <summary>Gets the bias, or null.</summary>
    internal Parameter? Bias => bias;

    /// <summary>Gets the buffer the last backward pass wrote a fresh weight gradient into, kept for the next one.</summary>
    internal Tensor? GradientBuffer { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Applies(input)
        ? SkinnyLinearFunction.apply(input, weight, bias ?? (object)NoBias.Instance, this)
        : nn.functional.linear(input, weight, bias);

    /// <summary>Tells whether a batch takes the kernels: a float32 CPU matrix of at most <see cref="MaxRows"/> rows and a large weight.</summary>
    /// <param name="input">The batch.</param>
    /// <returns>Whether the kernels apply.</returns>
    internal bool Applies(Tensor input) =>
        input.dim() == 2 && input.shape[0] <= MaxRows && input.shape[0] > 0
        && input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32
        && weight.device_type == DeviceType.CPU && weight.dtype == ScalarType.Float32 && weight.is_contiguous()
        && weight.numel() >= minWeightElements;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            GradientBuffer?.Dispose();
            GradientBuffer = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Stands for a missing bias among the function's arguments.</summary>
    internal sealed class NoBias
    {
        internal static readonly NoBias Instance = new();
    }
}
