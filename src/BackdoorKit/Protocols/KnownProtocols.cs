using BackdoorKit.Data;
using BackdoorKit.Triggers;

namespace BackdoorKit.Protocols;

/// <summary>The protocols that ship with BackdoorKit (docs/conventions.md compares them).</summary>
public static class KnownProtocols
{
    /// <summary>
    /// Gets the paper's text taken literally (default): triggers drawn on the model-input image with sides rounded to
    /// the nearest pixel, direct resizing, ImageNet normalization, freeze masks as the text describes, 20 epochs.
    /// </summary>
    public static StudyProtocol PaperText { get; } = new() { Name = "paper-text" };

    /// <summary>
    /// Gets the authors' published code: triggers of <c>max(1, int(fraction * side))</c> pixels drawn on the native
    /// image before resizing, gray images' green drawn as black, the code's per-dataset normalization and TinyImageNet
    /// crops, its freeze masks, GoogLeNet without <c>transform_input</c>, and a fresh trainable first convolution for
    /// ResNet, VGG and GoogLeNet on MNIST (see docs/conventions.md). Epochs stay at the paper's 20 (the code's CLI default
    /// is 10); ASR is reported including target-class test images, as the code computes it.
    /// </summary>
    public static StudyProtocol SeedCode { get; } = new()
    {
        Name = "seed-code",
        TriggerRounding = TriggerRounding.Floor,
        TriggerCanvas = TriggerCanvas.NativeImage,
        GrayTriggerColor = GrayTriggerColorRule.PublishedCode,
        Normalization = NormalizationRule.PublishedCode,
        Resize = ResizeRule.PublishedCode,
        FreezeStrategy = "seed-code",
        GoogLeNetTransformInput = false,
        FreshFirstConvolutionOnGrayDatasets = true,
    };

    /// <summary>Gets both shipped protocols.</summary>
    public static IReadOnlyList<StudyProtocol> All { get; } = [PaperText, SeedCode];
}
