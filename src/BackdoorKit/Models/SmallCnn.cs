using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BackdoorKit.Models;

/// <summary>
/// A small convolutional network for CPU runs: three conv(3x3)/BatchNorm/ReLU stages (16, 32, 64 channels; the first
/// two followed by 2x2 max-pooling), global average pooling and a linear head <c>fc</c>. Any input of at least 16 px.
/// </summary>
internal sealed class SmallCnn : Module<Tensor, Tensor>, IStagedModule
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

    /// <summary>Gets the stages: <c>layer1</c>, <c>layer2</c>, <c>layer3</c> with the average pooling, and the head <c>fc</c>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> StageModules { get; } = [["layer1"], ["layer2"], ["layer3", "avgpool"], ["fc"]];

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => ForwardStages(input, 0, StageModules.Count);

    /// <inheritdoc/>
    public Tensor ForwardStages(Tensor input, int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, StageModules.Count);
        using DisposeScope scope = NewDisposeScope();
        Tensor x = input;
        for (int stage = from; stage < to; stage++)
        {
            x = stage switch
            {
                0 => layer1.call(x),
                1 => layer2.call(x),
                2 => avgpool.call(layer3.call(x)).flatten(1),
                _ => fc.call(x),
            };
        }

        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
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
