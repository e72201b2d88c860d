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
    /// <summary>Creates a patch trigger with this protocol's rounding, canvas and gray-color rule.</summary>
    /// <param name="size">The side fraction, in <c>(0, 1]</c>.</param>
    /// <param name="position">A position other than <see cref="TriggerPosition.Custom"/>.</param>
    /// <param name="color">The color.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not in <c>(0, 1]</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="position"/> is <see cref="TriggerPosition.Custom"/>.</exception>
    public PatchTrigger CreateTrigger(double size, TriggerPosition position, TriggerColor color) => new(new PatchTriggerOptions
    {
        Size = size,
        Position = position,
        Color = color,
        Rounding = TriggerRounding,
        Canvas = TriggerCanvas,
        GrayColorRule = GrayTriggerColor,
    });

    /// <summary>
    /// Creates every trigger of the paper's grid (<see cref="KnownTriggers"/>) under this protocol, ordered by color, then
    /// position, then size: 45 triggers, or 30 without green (as the paper runs MNIST).
    /// </summary>
    /// <param name="includeGreen">Whether to include the green triggers.</param>
    /// <returns>The triggers.</returns>
    public IReadOnlyList<PatchTrigger> CreatePaperTriggerGrid(bool includeGreen = true) =>
        [.. from color in KnownTriggers.Colors
            where includeGreen || color != TriggerColor.Green
            from position in KnownTriggers.Positions
            from size in KnownTriggers.Sizes
            select CreateTrigger(size, position, color)];

    /// <summary>Creates poisoning options that take the candidate classes from this protocol.</summary>
    /// <param name="rate">The poisoning rate, in <c>[0, 1]</c>.</param>
    /// <param name="targetClass">The target class, at least 0.</param>
    /// <param name="seed">The selection seed.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate or the target class is out of range.</exception>
    public PoisoningOptions CreatePoisoningOptions(double rate, int targetClass, int seed) =>
        new() { Rate = rate, TargetClass = targetClass, Seed = seed, Source = PoisonSource };
}
