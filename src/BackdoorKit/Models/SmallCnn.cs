using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BackdoorKit.Models;

/// <summary>
/// A small convolutional network for CPU runs: three conv(3x3)/BatchNorm/ReLU stages (16, 32, 64 channels; the first
/// two followed by 2x2 max-pooling), global average pooling and a linear head <c>fc</c>. Any input of at least 16 px.
/// </summary>
internal sealed class SmallCnn : Module<Tensor, Tensor>
{
    private const int PooledSide = 4;

    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>Initializes a new instance of the <see cref="SmallCnn"/> class.</summary>
    /// <param name="numClasses">The head's output size.</param>
    public SmallCnn(int numClasses)
        : base(nameof(SmallCnn))
    {
        layer1 = Stage(3, 16, pool: true);
        layer2 = Stage(16, 32, pool: true);
        layer3 = Stage(32, 64, pool: false);
        avgpool = AdaptiveAvgPool2d(PooledSide);
        fc = Linear(64 * PooledSide * PooledSide, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor features = layer3.call(layer2.call(layer1.call(input)));
        return fc.call(avgpool.call(features).flatten(1)).MoveToOuterDisposeScope();
    }

    private static Sequential Stage(int inChannels, int outChannels, bool pool)
    {
        List<(string, Module<Tensor, Tensor>)> modules =
        [
            ("conv", Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1, bias: false)),
            ("bn", BatchNorm2d(outChannels)),
            ("relu", ReLU(inplace: true)),
        ];
        if (pool)
        {
            modules.Add(("pool", MaxPool2d(kernel_size: 2)));
        }

        return Sequential(modules.ToArray());
    }
}
