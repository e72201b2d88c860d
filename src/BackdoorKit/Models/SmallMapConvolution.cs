using BackdoorKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// A trainable convolution on a small output map computed as one matrix product over the whole batch (im2col with
/// <c>unfold</c>), so that its weight gradient is one GEMM with batch x output-pixels rows instead of one GEMM per sample.
/// </summary>
/// <remarks>
/// With oneDNN capped at AVX (<see cref="OneDnnMode.CapAtAvx"/>) oneDNN has no JIT convolution backward and falls back
/// to an im2col GEMM per sample; with oneDNN off, LibTorch's slow_conv2d loops over samples the same way. On a 1x1 or
/// 2x2 output map (ResNet-18's last stage at 32 or 64 px) each per-sample GEMM has an inner dimension of 1 to 4: a
/// memory-bound rank-1 update of the whole weight gradient (512 x 4,608 floats) per sample. Measured for a 3x3
/// 512-to-512 convolution at batch 64 on a 1x1 map, one thread: weight gradient 155-200 ms that way against about 8 ms
/// for oneDNN's AVX-512 kernel and 17 ms (input and weight gradients together) for this batched product.
/// The result is the same convolution up to rounding: sums run in another order, so trained weights differ in the last
/// bits from the native convolution's (docs/performance.md). Used only where it helps: on the CPU, for weights that
/// train, when oneDNN is capped or off, and for output maps of at most <see cref="MaxOutputPixels"/> pixels.
/// </remarks>
internal static class SmallMapConvolution
{
    /// <summary>The largest output map (height x width) computed as one batched product: 4x4.</summary>
    internal const long MaxOutputPixels = 16;

    /// <summary>Tells whether a convolution is computed as one batched product.</summary>
    /// <param name="oneDnnSetting">The oneDNN setting in force (<see cref="NativeRuntimeInfo.OneDnn"/>), or null before initialisation.</param>
    /// <param name="device">The device of the input.</param>
    /// <param name="weightRequiresGrad">Whether the convolution's weight trains.</param>
    /// <param name="outputPixels">The output map's height x width.</param>
    /// <returns>True on the CPU for a trainable weight on a small map when oneDNN is capped at AVX or off.</returns>
    internal static bool Applies(string? oneDnnSetting, DeviceType device, bool weightRequiresGrad, long outputPixels) =>
        device == DeviceType.CPU
        && weightRequiresGrad
        && outputPixels <= MaxOutputPixels
        && oneDnnSetting is "avx-cap" or "disabled";

    /// <summary>Runs a bias-free convolution as one batched product where <see cref="Applies"/> says so.</summary>
    /// <param name="convolution">The convolution module (no bias, no dilation, no groups).</param>
    /// <param name="input">The input <c>[N, C, H, W]</c>.</param>
    /// <param name="stride">The convolution's stride.</param>
    /// <param name="padding">The convolution's zero padding on every side.</param>
    /// <returns>The output <c>[N, C', H', W']</c>, or null when the module should run instead.</returns>
    internal static Tensor? TryBatched(Conv2d convolution, Tensor input, long stride, long padding)
    {
        Tensor weight = convolution.weight!;
        long outputPixels = OutputSide(input.shape[2], weight.shape[2], stride, padding) * OutputSide(input.shape[3], weight.shape[3], stride, padding);
        return convolution.bias is null && Applies(TorchRuntime.Info?.OneDnn, input.device_type, weight.requires_grad, outputPixels)
            ? Forward(input, weight, stride, padding)
            : null;
    }

    /// <summary>Computes a bias-free convolution as one matrix product over the batch: <c>[N x H'W', C k k] x [C k k, C']</c>.</summary>
    /// <param name="input">The input <c>[N, C, H, W]</c>.</param>
    /// <param name="weight">The weight <c>[C', C, k, k]</c>.</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding on every side.</param>
    /// <returns>The output <c>[N, C', H', W']</c>.</returns>
    internal static Tensor Forward(Tensor input, Tensor weight, long stride, long padding)
    {
        using DisposeScope scope = NewDisposeScope();
        long batch = input.shape[0];
        long outputs = weight.shape[0];
        long height = OutputSide(input.shape[2], weight.shape[2], stride, padding);
        long width = OutputSide(input.shape[3], weight.shape[3], stride, padding);

        // [N, C k k, H'W'] -> rows [N H'W', C k k]: the weight gradient is then rows^T x grad, one GEMM over the batch.
        Tensor columns = nn.functional.unfold(input, (weight.shape[2], weight.shape[3]), padding: (padding, padding), stride: (stride, stride));
        Tensor rows = columns.transpose(1, 2).reshape(batch * height * width, -1);
        Tensor output = rows.mm(weight.reshape(outputs, -1).t());
        return output.view(batch, height * width, outputs).transpose(1, 2).reshape(batch, outputs, height, width).MoveToOuterDisposeScope();
    }

    private static long OutputSide(long side, long kernel, long stride, long padding) => ((side + (2 * padding) - kernel) / stride) + 1;
}
