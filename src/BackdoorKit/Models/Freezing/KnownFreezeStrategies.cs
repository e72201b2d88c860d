using System.Globalization;

namespace BackdoorKit.Models.Freezing;

/// <summary>
/// The freeze strategies BackdoorKit ships (docs/freeze-strategies.md lists the trainable sets per model):
/// <c>paper-text</c>, <c>seed-code</c>, <c>freeze-first-&lt;k&gt;</c>, <c>freeze-index-&lt;j&gt;</c>,
/// <c>train-last-&lt;k&gt;-stages</c>, <c>linear-probe</c> and <c>full</c>.
/// </summary>
public static class KnownFreezeStrategies
{
    private const string FreezeFirstPrefix = "freeze-first-";
    private const string FreezeIndexPrefix = "freeze-index-";
    private const string TrainLastPrefix = "train-last-";
    private const string TrainLastSuffix = "-stages";

    /// <summary>
    /// Gets the paper's text: the final fully connected layer and the weight and bias of every BatchNorm layer
    /// (selected by type, so ResNet's <c>downsample.1</c> trains too) train; AlexNet, which has no BatchNorm, trains
    /// its whole classifier module. BatchNorm layers update their statistics in training mode.
    /// </summary>
    public static IFreezeStrategy PaperText { get; } = new MaskFreezeStrategy("paper-text", false, TrainableSets.PaperText);

    /// <summary>
    /// Gets the authors' published code: ResNet/GoogLeNet train parameters whose name contains <c>bn</c> plus the
    /// head (ResNet's <c>downsample.1</c> stays frozen); VGG-19_BN trains the misaligned mask of the code's zip of
    /// feature parameters with feature modules plus the whole classifier; AlexNet trains every parameter after
    /// index 7 (<c>features.10</c> and the classifier).
    /// </summary>
    public static IFreezeStrategy SeedCode { get; } = new MaskFreezeStrategy("seed-code", false, TrainableSets.SeedCode);

    /// <summary>
    /// Gets the linear probe: only the head trains, and BatchNorm layers stay in evaluation mode. Everything before the
    /// head is a frozen, evaluation-mode prefix, so its output can be computed once per image
    /// (<see cref="Features.FeatureCache"/>) on models with a staged forward pass.
    /// </summary>
    public static IFreezeStrategy LinearProbe { get; } = new MaskFreezeStrategy("linear-probe", true, TrainableSets.Head);

    /// <summary>Gets full fine-tuning: every parameter trains.</summary>
    public static IFreezeStrategy Full { get; } = new MaskFreezeStrategy("full", false, TrainableSets.All);

    /// <summary>
    /// Gets the fixed strategies (<c>freeze-first-&lt;k&gt;</c> comes from <see cref="FreezeFirst"/>, <c>freeze-index-&lt;j&gt;</c>
    /// from <see cref="FreezeIndex"/>).
    /// </summary>
    public static IReadOnlyList<IFreezeStrategy> All { get; } = [PaperText, SeedCode, LinearProbe, Full];

    /// <summary>
    /// Freezes the first <paramref name="count"/> parameter tensors in parameter order and trains the rest, the head
    /// included only when it is among them. Named <c>freeze-first-&lt;count&gt;</c>. For the paper's AlexNet study use
    /// <see cref="FreezeIndex"/>, which always trains the new head.
    /// </summary>
    /// <param name="count">How many leading parameter tensors are frozen; at most the model's parameter count.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IFreezeStrategy FreezeFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new MaskFreezeStrategy(
            FreezeFirstPrefix + count.ToString(CultureInfo.InvariantCulture), false, model => TrainableSets.AfterFirst(model, count));
    }

    /// <summary>
    /// The paper's AlexNet study ("unfreeze layer by layer, from 14 to 0", Figures 2 and 18): parameter tensors 0 to
    /// <paramref name="index"/> (in parameter order) are frozen, every later tensor trains, and the new head always
    /// trains. On AlexNet, index 7 is the published code's transfer setting (<c>features.10</c> and the classifier
    /// train) and index 14 trains the head alone. Named <c>freeze-index-&lt;index&gt;</c>.
    /// </summary>
    /// <param name="index">The last frozen parameter tensor; below the model's parameter tensor count.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static IFreezeStrategy FreezeIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new MaskFreezeStrategy(
            FreezeIndexPrefix + index.ToString(CultureInfo.InvariantCulture), false, model => TrainableSets.AfterIndexPlusHead(model, index));
    }

    /// <summary>
    /// Trains the last <paramref name="count"/> stages and the head; the stem and the earlier stages are frozen and stay
    /// in evaluation mode while training (their BatchNorm layers keep the pretrained statistics), while the trainable
    /// stages train in normal training mode (their BatchNorm statistics update). Stages are <c>layer1</c>..<c>layer4</c>
    /// of the ResNet family and <c>layer1</c>..<c>layer3</c> of <c>small-cnn</c>; other families are rejected. Named
    /// <c>train-last-&lt;count&gt;-stages</c>; <c>train-last-0-stages</c> trains the head alone. Because the frozen prefix
    /// runs in evaluation mode, its output does not depend on the experiment and can be cached
    /// (<see cref="Features.FeatureCache"/>). The paper's own policy (<see cref="PaperText"/>: BatchNorm layers trainable
    /// and in training mode everywhere) has no such prefix and always runs the full network.
    /// </summary>
    /// <param name="count">How many of the last stages train; at most the model's stage count (checked when applied).</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IFreezeStrategy TrainLastStages(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new MaskFreezeStrategy(
            TrainLastPrefix + count.ToString(CultureInfo.InvariantCulture) + TrainLastSuffix,
            false,
            model => TrainableSets.LastStagesPlusHead(model, count),
            model => TrainableSets.BeforeLastStages(model, count));
    }

    /// <summary>Reads k from a <c>freeze-first-&lt;k&gt;</c> name (case-insensitive).</summary>
    /// <param name="name">The strategy's name.</param>
    /// <param name="count">k, when the name has that form.</param>
    /// <returns>Whether the name is <c>freeze-first-&lt;k&gt;</c> with k a non-negative integer.</returns>
    internal static bool TryParseFreezeFirst(string name, out int count) => TryParseNumbered(name, FreezeFirstPrefix, out count);

    /// <summary>Reads j from a <c>freeze-index-&lt;j&gt;</c> name (case-insensitive).</summary>
    /// <param name="name">The strategy's name.</param>
    /// <param name="index">j, when the name has that form.</param>
    /// <returns>Whether the name is <c>freeze-index-&lt;j&gt;</c> with j a non-negative integer.</returns>
    internal static bool TryParseFreezeIndex(string name, out int index) => TryParseNumbered(name, FreezeIndexPrefix, out index);

    /// <summary>Reads k from a <c>train-last-&lt;k&gt;-stages</c> name (case-insensitive).</summary>
    /// <param name="name">The strategy's name.</param>
    /// <param name="count">k, when the name has that form.</param>
    /// <returns>Whether the name is <c>train-last-&lt;k&gt;-stages</c> with k a non-negative integer.</returns>
    internal static bool TryParseTrainLastStages(string name, out int count)
    {
        count = 0;
        return name.EndsWith(TrainLastSuffix, StringComparison.OrdinalIgnoreCase)
            && TryParseNumbered(name[..^TrainLastSuffix.Length], TrainLastPrefix, out count);
    }

    /// <summary>Checks that <c>train-last-&lt;k&gt;-stages</c> fits an architecture: it defines stages and has at least k.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="count">k.</param>
    /// <returns>Null when it fits, else why not.</returns>
    internal static string? CheckTrainLastStages(IModelFactory architecture, int count)
    {
        try
        {
            IReadOnlyList<string> stages = TrainableSets.Stages(architecture);
            return count <= stages.Count ? null : $"'{architecture.Name}' has {stages.Count} stages ({string.Join(", ", stages)}), fewer than {count}";
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Reads the number after <paramref name="prefix"/> in a name such as <c>freeze-first-3</c> (case-insensitive, digits only).</summary>
    internal static bool TryParseNumbered(string name, string prefix, out int number)
    {
        number = 0;
        return name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
