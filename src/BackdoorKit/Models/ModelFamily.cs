namespace BackdoorKit.Models;

/// <summary>The architecture families BackdoorKit knows; freeze strategies use it to find a family's layers.</summary>
public enum ModelFamily
{
    /// <summary>AlexNet: convolutional <c>features</c>, fully connected <c>classifier</c>, no BatchNorm.</summary>
    AlexNet,

    /// <summary>VGG with BatchNorm: <c>features</c> of conv/BatchNorm/ReLU/max-pool children, then <c>classifier</c>.</summary>
    Vgg,

    /// <summary>ResNet: residual stages <c>layer1</c>..<c>layer4</c>, head <c>fc</c>.</summary>
    ResNet,

    /// <summary>GoogLeNet (Inception v1) without auxiliary heads, head <c>fc</c>.</summary>
    GoogLeNet,

    /// <summary>BackdoorKit's small convolutional network for fast CPU runs, head <c>fc</c>.</summary>
    SmallCnn,

    /// <summary>
    /// An architecture from outside BackdoorKit. Strategies that select by layer type or position work on it
    /// (<c>paper-text</c>: BatchNorm layers and the head; <c>full</c>, <c>linear-probe</c>, <c>freeze-first-&lt;k&gt;</c>,
    /// <c>freeze-index-&lt;j&gt;</c>, and <c>seed-code</c>'s ResNet rule: parameters whose name contains <c>bn</c>, and the
    /// head); <c>train-last-&lt;k&gt;-stages</c>, which needs the family's stages, rejects it.
    /// </summary>
    Other,
}
