using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BackdoorKit.Models;

/// <summary>
/// The ImageNet ResNet-18 that ML.NET ships as ONNX (converted from CNTK), rebuilt module by module: a 7x7 stride-2 stem
/// padded <c>[3, 3, 2, 2]</c> (top, left, bottom, right), BatchNorm, ReLU, a 3x3 stride-2 max pool padded
/// <c>[1, 1, 0, 0]</c>, then basic blocks 2/2/2/3 (torchvision's ResNet-18 has 2/2/2/2) at 64/128/256/512 channels
/// (<c>layer1</c>..<c>layer4</c>), global average pooling (the file's fixed 7x7 pool at 224 px) and a new head <c>fc</c>.
/// Output sizes round down as ONNX does, so the input side must be 32k to 32k + 3 pixels (e.g. 64, 128, 224): other
/// sizes give the two branches of a projecting block different sizes, in the ONNX graph as here.
/// </summary>
internal sealed class CntkResNet18 : Module<Tensor, Tensor>, IStagedModule
{
    /// <summary>The BatchNorm epsilon of every layer (the file's value; checked when loading).</summary>
    internal const double BatchNormEpsilon = 1e-5;

    /// <summary>The smallest input side: 32 pixels.</summary>
    internal const int MinimumInputSide = 32;

    /// <summary>The number of output channels of the last stage (the feature size).</summary>
    internal const int FeatureSize = 512;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>Initializes a new instance of the <see cref="CntkResNet18"/> class.</summary>
    /// <param name="numClasses">The head's output size.</param>
    public CntkResNet18(int numClasses)
        : base(nameof(CntkResNet18))
    {
        conv1 = Conv2d(3, 64, kernel_size: 7, stride: 2, bias: false);
        bn1 = BatchNorm2d(64, eps: BatchNormEpsilon);
        relu = ReLU();
        layer1 = Stage(64, 64, BlocksPerStage[0]);
        layer2 = Stage(64, 128, BlocksPerStage[1]);
        layer3 = Stage(128, 256, BlocksPerStage[2]);
        layer4 = Stage(256, FeatureSize, BlocksPerStage[3]);
        avgpool = AdaptiveAvgPool2d(1);
        fc = Linear(FeatureSize, numClasses);
        RegisterComponents();
    }

    /// <summary>Gets the number of basic blocks of each stage: 2, 2, 2, 3.</summary>
    internal static IReadOnlyList<int> BlocksPerStage { get; } = [2, 2, 2, 3];

    /// <summary>Gets the ONNX pads of the stem convolution: <c>[3, 3, 2, 2]</c> (top, left, bottom, right).</summary>
    internal static long[] StemPads => [3, 3, 2, 2];

    /// <summary>Gets the ONNX pads of the max pool and of stride-2 3x3 convolutions: <c>[1, 1, 0, 0]</c>.</summary>
    internal static long[] DownsamplingPads => [1, 1, 0, 0];

    /// <summary>Gets the ONNX pads of stride-1 3x3 convolutions: <c>[1, 1, 1, 1]</c>.</summary>
    internal static long[] SamePads => [1, 1, 1, 1];

    /// <summary>Gets the stem convolution and its BatchNorm.</summary>
    internal (Conv2d Conv, BatchNorm2d Norm) Stem => (conv1, bn1);

    /// <summary>Gets the basic blocks in order with their names (<c>layer1.0</c> .. <c>layer4.2</c>).</summary>
    internal IReadOnlyList<(string Name, CntkBasicBlock Block)> Blocks =>
    [
        .. new[] { ("layer1", layer1), ("layer2", layer2), ("layer3", layer3), ("layer4", layer4) }.SelectMany(stage =>
            stage.Item2.children().Cast<CntkBasicBlock>().Select((block, i) => ($"{stage.Item1}.{i}", block))),
    ];

    /// <summary>Gets the head.</summary>
    internal Linear Head => fc;

    /// <summary>
    /// Gets the stages: the stem (<c>conv1</c>, <c>bn1</c>, ReLU and max pooling), <c>layer1</c> to <c>layer3</c>,
    /// <c>layer4</c> with the global average pooling (its output is the 512 features), and the head <c>fc</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> StageModules { get; } =
        [["conv1", "bn1", "relu"], ["layer1"], ["layer2"], ["layer3"], ["layer4", "avgpool"], ["fc"]];

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => ForwardStages(input, 0, StageModules.Count);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The run starts at the stem and the input side is not 32k to 32k + 3 pixels.</exception>
    public Tensor ForwardStages(Tensor input, int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, StageModules.Count);
        if (from == 0)
        {
            CheckInputSide(input);
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor x = input;
        for (int stage = from; stage < to; stage++)
        {
            x = ConvolutionLayout.Prefer(x);
            x = stage switch
            {
                0 => functional.max_pool2d(
                    Pad(relu.call(bn1.call(conv1.call(Pad(x, StemPads, 0.0)))), DownsamplingPads, double.NegativeInfinity), kernel_size: 3, stride: 2),
                1 => layer1.call(x),
                2 => layer2.call(x),
                3 => layer3.call(x),
                4 => avgpool.call(layer4.call(x)).flatten(1),
                _ => fc.call(x),
            };
        }

        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }

    /// <summary>Computes the 512 pooled features, without the head (the ONNX file's output, flattened).</summary>
    /// <param name="input">Images <c>[N, 3, H, W]</c> preprocessed as the file expects (BGR, 0-255, mean subtracted).</param>
    /// <returns>Features <c>[N, 512]</c>; the caller owns the tensor.</returns>
    /// <exception cref="ArgumentException">The input side is not 32k to 32k + 3 pixels.</exception>
    internal Tensor Features(Tensor input) => ForwardStages(input, 0, StageModules.Count - 1);

    /// <summary>Pads the two spatial dimensions as ONNX pads <c>[top, left, bottom, right]</c> say.</summary>
    /// <param name="input">The tensor <c>[N, C, H, W]</c>.</param>
    /// <param name="onnxPads">Top, left, bottom, right.</param>
    /// <param name="value">The padding value (negative infinity for max pooling, which ONNX never pads with values).</param>
    /// <returns>The padded tensor.</returns>
    internal static Tensor Pad(Tensor input, long[] onnxPads, double value) =>
        functional.pad(input, [onnxPads[1], onnxPads[3], onnxPads[0], onnxPads[2]], PaddingModes.Constant, value);

    private static void CheckInputSide(Tensor input)
    {
        foreach (long side in new[] { input.shape[^2], input.shape[^1] })
        {
            if (side < MinimumInputSide || side / 4 % 8 != 0)
            {
                throw new ArgumentException(
                    $"resnet18-imagenet-cntk needs an input side of 32k to 32k + 3 pixels (e.g. 64, 128, 224); got [{string.Join(", ", input.shape)}].",
                    nameof(input));
            }
        }
    }

    private static Sequential Stage(int inChannels, int outChannels, int blocks)
    {
        int stride = inChannels == outChannels ? 1 : 2;
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < blocks; i++)
        {
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                i == 0 ? new CntkBasicBlock(inChannels, outChannels, stride) : new CntkBasicBlock(outChannels, outChannels, 1)));
        }

        return Sequential(modules.ToArray());
    }
}
