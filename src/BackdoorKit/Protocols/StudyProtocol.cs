using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;

namespace BackdoorKit.Protocols;

/// <summary>
/// The conventions the paper leaves open, bundled and named, so every result says exactly which were used.
/// Two ship in <see cref="KnownProtocols"/>: <see cref="KnownProtocols.PaperText"/> (default) and
/// <see cref="KnownProtocols.SeedCode"/> (the authors' published code). Use <c>with</c> to vary one convention.
/// </summary>
public sealed record StudyProtocol
{
    /// <summary>Gets the protocol's name, recorded with every result (e.g. <c>paper-text</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets how a trigger's side fraction becomes whole pixels.</summary>
    public TriggerRounding TriggerRounding { get; init; } = TriggerRounding.Round;

    /// <summary>Gets where triggers are drawn: the model-input image or the native image before resizing.</summary>
    public TriggerCanvas TriggerCanvas { get; init; } = TriggerCanvas.ModelInput;

    /// <summary>Gets how trigger colors are drawn on gray source images.</summary>
    public GrayTriggerColorRule GrayTriggerColor { get; init; } = GrayTriggerColorRule.TrueColor;

    /// <summary>Gets the normalization statistics rule.</summary>
    public NormalizationRule Normalization { get; init; } = NormalizationRule.ImageNet;

    /// <summary>Gets how native images become model-input images (direct resize, or the published code's crops).</summary>
    public ResizeRule Resize { get; init; } = ResizeRule.Direct;

    /// <summary>Gets which training samples may be poisoned.</summary>
    public PoisonSourceClasses PoisonSource { get; init; } = PoisonSourceClasses.AllClasses;

    /// <summary>Gets the name of the freeze strategy used for the paper's four models (see the models' freeze catalog).</summary>
    public string FreezeStrategy { get; init; } = "paper-text";

    /// <summary>
    /// Gets whether GoogLeNet re-normalises its input the way its original ImageNet weights expect (torchvision's
    /// <c>transform_input</c>): <see langword="null"/> follows torchvision (on for weights from a file, off for random
    /// initialisation); the published code passes <see langword="false"/>.
    /// </summary>
    public bool? GoogLeNetTransformInput { get; init; }

    /// <summary>
    /// Gets whether ResNet, VGG and GoogLeNet get a fresh, trainable first convolution on gray datasets (MNIST), as the
    /// published code does after loading the pretrained weights (<see cref="Models.BackdoorModel.ResetFirstConvolution"/>).
    /// </summary>
    public bool FreshFirstConvolutionOnGrayDatasets { get; init; }

    /// <summary>Gets the default number of training epochs.</summary>
    public int Epochs { get; init; } = 20;
}
