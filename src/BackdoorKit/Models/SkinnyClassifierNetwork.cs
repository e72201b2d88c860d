using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// torchvision's AlexNet or VGG (<c>features</c>, <c>avgpool</c>, flatten, <c>classifier</c>) with the classifier's linear
/// layers run by <see cref="SkinnyLinear"/>: the same modules, parameters, key names and forward pass as the network it
/// is built from, so official checkpoints load and Grad-CAM and freeze masks find the same names. Staged
/// (<see cref="IStagedModule"/>): one stage per convolution of <c>features</c> with the layers after it up to the next
/// convolution (the last with <c>avgpool</c>), then the classifier, so a frozen prefix of convolutions (AlexNet under
/// <c>paper-text</c>, or the first convolutions under <c>freeze-index-&lt;j&gt;</c>) is computed once per image by the
/// feature cache instead of at every step.
/// </summary>
internal sealed class SkinnyClassifierNetwork : nn.Module<Tensor, Tensor>, IStagedModule
{
#pragma warning disable IDE1006, SA1300, SA1307 // torchvision's key names
    private readonly Sequential features;
    private readonly nn.Module<Tensor, Tensor> avgpool;
    private readonly Sequential classifier;
#pragma warning restore IDE1006, SA1300, SA1307

    private readonly nn.Module<Tensor, Tensor>[] featureLayers;
    private readonly int[][] featureStages;

    private SkinnyClassifierNetwork(string name, Sequential features, nn.Module<Tensor, Tensor> avgpool, Sequential classifier)
        : base(name)
    {
        this.features = features;
        this.avgpool = avgpool;
        this.classifier = classifier;
        RegisterComponents();
        featureLayers = [.. features.children().Cast<nn.Module<Tensor, Tensor>>()];
        var stages = new List<List<int>>();
        for (int i = 0; i < featureLayers.Length; i++)
        {
            if (stages.Count == 0 || featureLayers[i] is Conv2d)
            {
                stages.Add([]);
            }

            stages[^1].Add(i);
        }

        featureStages = [.. stages.Select(stage => stage.ToArray())];
        StageModules = [.. featureStages.Select((stage, s) => (IReadOnlyList<string>)[
            .. stage.Select(i => $"features.{i}"), .. s == featureStages.Length - 1 ? ["avgpool"] : Array.Empty<string>()]),
            ["classifier"]];
    }

    /// <summary>Builds the network from a torchvision AlexNet or VGG, taking over its modules.</summary>
    /// <param name="network">A module whose children are <c>features</c>, <c>avgpool</c> and a <c>classifier</c> sequence.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentException">The module does not have that shape.</exception>
    internal static SkinnyClassifierNetwork From(nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var children = network.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);
        if (children.Count != 3 || children.GetValueOrDefault("features") is not Sequential features
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
    public IReadOnlyList<IReadOnlyList<string>> StageModules { get; }

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
            if (stage == featureStages.Length)
            {
                x = classifier.call(x);
                continue;
            }

            foreach (int layer in featureStages[stage])
            {
                x = featureLayers[layer].call(x);
            }

            if (stage == featureStages.Length - 1)
            {
                x = avgpool.call(x).flatten(1);
            }
        }

        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }
}
