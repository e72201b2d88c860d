using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// Chooses the memory layout of convolution inputs: channels-last (NHWC strides) for inference on the CPU with oneDNN,
/// where oneDNN's convolutions run about 1.8 times faster in that layout than in LibTorch's default NCHW (measured on
/// the CNTK ResNet-18's convolutions at 64 px, batch 256, no gradients, oneDNN capped at AVX: 64 against 115 GFLOP/s).
/// Padding, batch normalisation, ReLU, pooling and additions keep the layout, so converting the network's input once
/// carries it through every stage. Training (gradients on) keeps NCHW: its backward pass was not faster in NHWC here.
/// </summary>
internal static class ConvolutionLayout
{
    /// <summary>
    /// Returns the input in the layout its convolutions run fastest in: channels-last for 4-D CPU tensors when oneDNN is
    /// on and gradients are off (feature extraction, evaluation).
    /// </summary>
    /// <param name="input">A batch <c>[N, C, H, W]</c> or any other tensor.</param>
    /// <returns>The same values, channels-last where that helps (a view when already so), else the input itself.</returns>
    internal static Tensor Prefer(Tensor input) =>
        input.dim() == 4 && input.device_type == DeviceType.CPU && !is_grad_enabled() && TorchRuntime.Info?.OneDnn is not null and not "disabled"
            ? input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
            : input;
}
