namespace BackdoorKit.Data;

/// <summary>Which per-channel mean and standard deviation normalize the model input.</summary>
public enum NormalizationRule
{
    /// <summary>ImageNet statistics for every dataset, as ImageNet-pretrained models expect (the paper's text).</summary>
    ImageNet = 0,

    /// <summary>The published code's statistics: 0.5/0.5 for MNIST, CIFAR-10's own, ImageNet's for TinyImageNet.</summary>
    PublishedCode = 1,
}
