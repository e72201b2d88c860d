using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BackdoorKit.Models;

/// <summary>
/// A basic residual block of <see cref="CntkResNet18"/>: two 3x3 convolutions with BatchNorm, ReLU between and after the
/// sum, and on the first block of stages 2 to 4 a 1x1 stride-2 projection (<c>downsample.0</c>, <c>downsample.1</c>).
/// Parameter names follow torchvision's <c>BasicBlock</c>. A stride-2 block pads its input by one pixel at the top and
/// left only, as the CNTK export does (ONNX pads <c>[1, 1, 0, 0]</c>), instead of torchvision's one pixel on every side.
/// Trainable convolutions on small maps may run as one batched matrix product instead of their module
/// (<see cref="SmallMapConvolution"/>): forward hooks on the convolution modules then do not fire.
/// </summary>
internal sealed class CntkBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    /// <summary>Initializes a new instance of the <see cref="CntkBasicBlock"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="stride">1, or 2 for the first block of stages 2 to 4 (which then projects its input).</param>
    public CntkBasicBlock(int inChannels, int outChannels, int stride)
        : base(nameof(CntkBasicBlock))
    {
        Stride = stride;
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: stride == 1 ? 1 : 0, bias: false);
        bn1 = BatchNorm2d(outChannels, eps: CntkResNet18.BatchNormEpsilon);
        relu = ReLU();
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels, eps: CntkResNet18.BatchNormEpsilon);
        downsample = stride == 1 && inChannels == outChannels
            ? null
            : Sequential(
                Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false),
                BatchNorm2d(outChannels, eps: CntkResNet18.BatchNormEpsilon));
        RegisterComponents();
    }

    /// <summary>Gets the stride of the first convolution and of the projection.</summary>
    public int Stride { get; }

    /// <summary>Gets the first convolution, its BatchNorm, the second convolution and its BatchNorm.</summary>
    public (Conv2d Conv1, BatchNorm2d Bn1, Conv2d Conv2, BatchNorm2d Bn2) Main => (conv1, bn1, conv2, bn2);

    /// <summary>Gets the projection's convolution and BatchNorm, or null when the block adds its input unchanged.</summary>
    public (Conv2d Conv, BatchNorm2d Norm)? Projection =>
        downsample is null ? null : ((Conv2d)downsample.children().First(), (BatchNorm2d)downsample.children().Last());

    /// <summary>Gets the ONNX pads <c>[top, left, bottom, right]</c> of the first convolution.</summary>
    public long[] Conv1Pads => Stride == 1 ? CntkResNet18.SamePads : CntkResNet18.DownsamplingPads;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor padded = Stride == 1 ? input : CntkResNet18.Pad(input, CntkResNet18.DownsamplingPads, 0.0);
        Tensor main = relu.call(bn1.call(SmallMapConvolution.TryBatched(conv1, padded, Stride, Stride == 1 ? 1 : 0) ?? conv1.call(padded)));
        main = bn2.call(SmallMapConvolution.TryBatched(conv2, main, 1, 1) ?? conv2.call(main));
        Tensor identity = downsample is null
            ? input
            : Projection is (Conv2d conv, BatchNorm2d norm) && SmallMapConvolution.TryBatched(conv, input, Stride, 0) is Tensor projected
                ? norm.call(projected)
                : downsample.call(input);
        return relu.call(main.add(identity)).MoveToOuterDisposeScope();
    }
}
