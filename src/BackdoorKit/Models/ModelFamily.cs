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
}
