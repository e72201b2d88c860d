namespace BackdoorKit.Data;

/// <summary>The normalization statistics the study uses, and the rule that picks them per dataset.</summary>
public static class KnownNormalizations
{
    /// <summary>Gets ImageNet's statistics, which ImageNet-pretrained torchvision models expect.</summary>
    public static NormalizationStatistics ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Gets the published code's MNIST statistics: 0.5 and 0.5 on every channel.</summary>
    public static NormalizationStatistics MnistPublishedCode { get; } = new([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>Gets the published code's CIFAR-10 statistics: mean (0.4914, 0.4822, 0.4465), std (0.247, 0.243, 0.261).</summary>
    /// <remarks>
    /// These are the values the authors' code passes to its CIFAR-10 normalization (their <c>datasets.py</c>); the
    /// standard deviations are rounded to three decimals there, unlike the (0.2470, 0.2435, 0.2616) often quoted.
    /// </remarks>
    public static NormalizationStatistics Cifar10PublishedCode { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.247f, 0.243f, 0.261f]);

    /// <summary>Returns the statistics a rule gives a dataset.</summary>
    /// <param name="datasetName">The dataset's name (case-insensitive); any name, your own datasets' included.</param>
    /// <param name="rule">The rule: <see cref="NormalizationRule.ImageNet"/> gives ImageNet's statistics to every dataset;
    /// <see cref="NormalizationRule.PublishedCode"/> gives MNIST (and the bundled sample) 0.5/0.5, CIFAR-10
    /// <see cref="Cifar10PublishedCode"/>, and every other dataset ImageNet's, as the published code does for TinyImageNet.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rule is unknown.</exception>
    public static NormalizationStatistics For(string datasetName, NormalizationRule rule)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        return rule switch
        {
            NormalizationRule.ImageNet => ImageNet,
            NormalizationRule.PublishedCode => datasetName.Trim().ToLowerInvariant() switch
            {
                "mnist" or "mnist-sample" => MnistPublishedCode,
                "cifar10" => Cifar10PublishedCode,
                _ => ImageNet,
            },
            _ => throw new ArgumentOutOfRangeException(
                nameof(rule), rule, $"rule must be one of: {string.Join(", ", Enum.GetNames<NormalizationRule>())}."),
        };
    }
}
