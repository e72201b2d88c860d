using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// Chooses the memory layout of convolution inputs: channels-last (NHWC strides) on the CPU with oneDNN, where oneDNN's
/// AVX-capped convolutions run faster than in LibTorch's default NCHW: forward only, the CNTK ResNet-18's convolutions
/// at 64 px and batch 256 went from 64 to 115 GFLOP/s; whole training steps at 224 px and batch 4, GoogLeNet 26 % and
/// VGG-19_BN 12 % faster, ResNet-152 the same (docs/performance.md). Gradients agree with NCHW's to float rounding
/// (relative 2e-6 on ResNet-18, GoogLeNet and VGG-19_BN; <c>ConvolutionLayoutTests</c>). Padding, batch normalisation,
/// ReLU, pooling, concatenation and additions keep the layout, so converting a network's input once carries it through.
/// On CUDA, and with oneDNN off, inputs stay as they are.
/// </summary>
internal static class ConvolutionLayout
{
    /// <summary>Returns the input in the layout its convolutions run fastest in.</summary>
    /// <param name="input">A batch <c>[N, C, H, W]</c> or any other tensor (returned as it is).</param>
    /// <returns>The same values: channels-last for a 4-D CPU tensor when oneDNN is on (a view when already so), else the input.</returns>
    internal static Tensor Prefer(Tensor input) =>
        input.dim() == 4 && input.device_type == DeviceType.CPU && TorchRuntime.Info?.OneDnn is not null and not "disabled"
            ? input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
            : input;
}
