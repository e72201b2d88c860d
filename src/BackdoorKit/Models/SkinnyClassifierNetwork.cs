using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// torchvision's AlexNet or VGG (<c>features</c>, <c>avgpool</c>, flatten, <c>classifier</c>) with the classifier's linear
/// layers run by <see cref="SkinnyLinear"/>: the same modules, parameters, key names and forward pass as the network it
/// is built from, so official checkpoints load and Grad-CAM and freeze masks find the same names. Two stages
/// (<see cref="IStagedModule"/>): the convolutions with the pooling, then the classifier, so a frozen convolutional part
/// (AlexNet under <c>paper-text</c>) is computed once per image by the feature cache instead of at every step.
/// </summary>
internal sealed class SkinnyClassifierNetwork : nn.Module<Tensor, Tensor>, IStagedModule
{
#pragma warning disable IDE1006, SA1300, SA1307 // torchvision's key names
    private readonly nn.Module<Tensor, Tensor> features;
    private readonly nn.Module<Tensor, Tensor> avgpool;
    private readonly Sequential classifier;
#pragma warning restore IDE1006, SA1300, SA1307

    private SkinnyClassifierNetwork(string name, nn.Module<Tensor, Tensor> features, nn.Module<Tensor, Tensor> avgpool, Sequential classifier)
        : base(name)
    {
        this.features = features;
        this.avgpool = avgpool;
        this.classifier = classifier;
        RegisterComponents();
    }

    /// <summary>Builds the network from a torchvision AlexNet or VGG, taking over its modules.</summary>
    /// <param name="network">A module whose children are <c>features</c>, <c>avgpool</c> and a <c>classifier</c> sequence.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentException">The module does not have that shape.</exception>
    internal static SkinnyClassifierNetwork From(nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var children = network.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);
        if (children.Count != 3 || children.GetValueOrDefault("features") is not nn.Module<Tensor, Tensor> features
            || children.GetValueOrDefault("avgpool") is not nn.Module<Tensor, Tensor> avgpool
            || children.GetValueOrDefault("classifier") is not Sequential classifier)
        {
            throw new ArgumentException(
                $"expected the children features, avgpool and classifier of a torchvision AlexNet or VGG; got {string.Join(", ", children.Keys)}.", nameof(network));
        }

        (string Name, nn.Module<Tensor, Tensor> Module)[] layers = [.. classifier.named_children().Select(c => (c.name, c.module switch
        {
            Linear linear => new SkinnyLinear(linear),
            nn.Module<Tensor, Tensor> other => other,
            _ => throw new ArgumentException($"classifier.{c.name} is not a tensor-to-tensor module.", nameof(network)),
        }))];
        return new SkinnyClassifierNetwork(network.GetName(), features, avgpool, nn.Sequential(layers));
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<string>> StageModules { get; } = [["features", "avgpool"], ["classifier"]];

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => ForwardStages(input, 0, StageModules.Count);

    /// <inheritdoc />
    public Tensor ForwardStages(Tensor input, int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, StageModules.Count);
        using var scope = NewDisposeScope();
        Tensor x = input;
        for (int stage = from; stage < to; stage++)
        {
            x = stage == 0 ? avgpool.call(features.call(x)).flatten(1) : classifier.call(x);
        }

        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }
}
