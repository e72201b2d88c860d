using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models.Freezing;

/// <summary>The parameter selections the known freeze strategies are made of (docs/freeze-strategies.md).</summary>
internal static class TrainableSets
{
    /// <summary>The AlexNet module the paper's text trains whole.</summary>
    private const string AlexNetClassifier = "classifier";

    /// <summary>The last AlexNet parameter index the published code keeps frozen.</summary>
    private const int SeedCodeAlexNetLastFrozenIndex = 7;

    /// <summary>Every parameter.</summary>
    internal static IEnumerable<string> All(BackdoorModel model) => Names(model.Module);

    /// <summary>The head's weight and bias.</summary>
    internal static IEnumerable<string> Head(BackdoorModel model) => model.Architecture.HeadParameterNames;

    /// <summary>The paper's text: the final layer and every BatchNorm layer's weight and bias; AlexNet: its whole classifier.</summary>
    internal static IEnumerable<string> PaperText(BackdoorModel model) => model.Architecture.Family == ModelFamily.AlexNet
        ? Names(model.Module).Where(name => name.StartsWith(AlexNetClassifier + ".", StringComparison.Ordinal))
        : Head(model).Concat(BatchNormParameters(model.Module));

    /// <summary>The published code's masks, per family.</summary>
    internal static IEnumerable<string> SeedCode(BackdoorModel model) => model.Architecture.Family switch
    {
        // All frozen, then every parameter after index 7 unfrozen: features.10 and the classifier.
        ModelFamily.AlexNet => Names(model.Module).Skip(SeedCodeAlexNetLastFrozenIndex + 1),
        ModelFamily.Vgg => VggZippedMask(model.Module),

        // Every parameter whose name contains "bn", then the new head (ResNet, GoogLeNet; the small CNN follows suit).
        _ => Names(model.Module).Where(name => name.Contains("bn", StringComparison.Ordinal)).Concat(Head(model)),
    };

    /// <summary>Every parameter from index <paramref name="frozenCount"/> on, in parameter order.</summary>
    internal static IEnumerable<string> AfterFirst(BackdoorModel model, int frozenCount)
    {
        List<string> names = [.. Names(model.Module)];
        if (frozenCount > names.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(frozenCount), frozenCount, $"{model.Name} has only {names.Count} parameter tensors to freeze.");
        }

        return names.Skip(frozenCount);
    }

    /// <summary>
    /// The paper's freeze index j: parameter tensors 0..j frozen, every later tensor and the new head trainable
    /// (a head that replaced the pretrained one is never left at its random initialisation).
    /// </summary>
    internal static IEnumerable<string> AfterIndexPlusHead(BackdoorModel model, int index)
    {
        List<string> names = [.. Names(model.Module)];
        if (index >= names.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), index, $"{model.Name} has parameter tensors 0..{names.Count - 1}; freeze index {index} is beyond them.");
        }

        return names.Skip(index + 1).Union(Head(model), StringComparer.Ordinal);
    }

    /// <summary>
    /// The residual (or convolutional) stages of a model in forward order: <c>layer1</c>..<c>layer4</c> for the ResNet
    /// family, <c>layer1</c>..<c>layer3</c> for the small CNN. The stem before them is not a stage.
    /// </summary>
    /// <exception cref="ArgumentException">The model's family has no stages defined.</exception>
    internal static IReadOnlyList<string> Stages(IModelFactory architecture) => architecture.Family switch
    {
        ModelFamily.ResNet => ["layer1", "layer2", "layer3", "layer4"],
        ModelFamily.SmallCnn => ["layer1", "layer2", "layer3"],
        _ => throw new ArgumentException(
            $"{architecture.Name} ({architecture.Family}) has no stages defined; train-last-<k>-stages supports the ResNet family and small-cnn.",
            nameof(architecture)),
    };

    /// <summary>The parameters of the last <paramref name="count"/> stages (<see cref="Stages"/>) and the head.</summary>
    internal static IEnumerable<string> LastStagesPlusHead(BackdoorModel model, int count)
    {
        string[] trainable = [.. LastStages(model, count)];
        return Names(model.Module)
            .Where(name => trainable.Any(stage => name.StartsWith(stage + ".", StringComparison.Ordinal)))
            .Union(Head(model), StringComparer.Ordinal);
    }

    /// <summary>Every top-level module except the last <paramref name="count"/> stages and the head: the frozen prefix.</summary>
    internal static IEnumerable<string> BeforeLastStages(BackdoorModel model, int count)
    {
        string[] trainable = [.. LastStages(model, count), model.Architecture.HeadModuleName];
        return model.Module.named_children().Select(child => child.name).Where(name => !trainable.Contains(name, StringComparer.Ordinal));
    }

    /// <summary>
    /// The published code's VGG mask: it pairs the i-th parameter tensor of <c>features</c> with the i-th child module
    /// of <c>features</c> and lets the tensor train when that module is a BatchNorm2d. VGG-19_BN's features have 64
    /// parameter tensors but 53 children, so the pairing is misaligned and the last 11 tensors are never visited (they
    /// keep PyTorch's default, trainable). The classifier is never frozen.
    /// </summary>
    private static IEnumerable<string> VggZippedMask(nn.Module module)
    {
        nn.Module features = module.named_children().Single(child => child.name == "features").module;
        List<nn.Module> children = [.. features.children()];
        List<string> featureParameters = [.. Names(features)];
        for (int i = 0; i < featureParameters.Count; i++)
        {
            if (i >= children.Count || children[i] is BatchNorm2d)
            {
                yield return "features." + featureParameters[i];
            }
        }

        foreach (string name in Names(module).Where(name => !name.StartsWith("features.", StringComparison.Ordinal)))
        {
            yield return name;
        }
    }

    private static IEnumerable<string> LastStages(BackdoorModel model, int count)
    {
        IReadOnlyList<string> stages = Stages(model.Architecture);
        if (count > stages.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"{model.Name} has {stages.Count} stages ({string.Join(", ", stages)}); it cannot train the last {count}.");
        }

        return stages.Skip(stages.Count - count);
    }

    private static IEnumerable<string> BatchNormParameters(nn.Module module) =>
        from named in module.named_modules()
        where named.module is BatchNorm
        from parameter in named.module.named_parameters(recurse: false)
        select named.name + "." + parameter.name;

    private static IEnumerable<string> Names(nn.Module module) => module.named_parameters().Select(p => p.name);
}
