using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// Chooses the memory layout of convolution inputs: channels-last (NHWC strides) where no gradient flows (feature
/// extraction, evaluation, frozen stages) on the CPU with oneDNN, where oneDNN's forward convolutions run about 1.8 times
/// faster in that layout than in LibTorch's default NCHW (measured on the CNTK ResNet-18's convolutions at 64 px, batch
/// 256, oneDNN capped at AVX: 64 against 115 GFLOP/s); NCHW where a gradient flows (its backward pass was not faster in
/// NHWC here). Padding, batch normalisation, ReLU, pooling and additions keep the layout. Deciding per stage by
/// whether a gradient flows, not by the call site, makes a frozen prefix compute the same values whether its output is
/// cached (<see cref="Features.FeatureCache"/>, no gradients) or recomputed inside a training step.
/// </summary>
internal static class ConvolutionLayout
{
    /// <summary>Returns the input in the layout its next convolutions should run in.</summary>
    /// <param name="input">A batch <c>[N, C, H, W]</c> or any other tensor (returned as it is).</param>
    /// <param name="gradientFlows">Whether a gradient will be computed through the next convolutions.</param>
    /// <returns>The same values: channels-last on the CPU with oneDNN when no gradient flows, else NCHW.</returns>
    internal static Tensor Prefer(Tensor input, bool gradientFlows)
    {
        if (input.dim() != 4 || input.device_type != DeviceType.CPU || TorchRuntime.Info?.OneDnn is null or "disabled")
        {
            return input;
        }

        return gradientFlows ? input.contiguous() : input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }
}
