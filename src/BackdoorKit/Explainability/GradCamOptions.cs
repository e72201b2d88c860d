namespace BackdoorKit.Explainability;

/// <summary>Settings of a <see cref="GradCam"/>.</summary>
public sealed record GradCamOptions
{
    /// <summary>Gets the default settings: the architecture's own Grad-CAM layer.</summary>
    public static GradCamOptions Default { get; } = new();

    /// <summary>
    /// Gets the name of the module whose output Grad-CAM weighs (as <c>named_modules()</c> spells it, e.g. <c>layer4</c>,
    /// <c>features.11</c>), or <see langword="null"/> for the architecture's <see cref="Models.IModelFactory.GradCamLayerName"/>.
    /// Pick a module whose output is <c>[B, C, h, w]</c> and is not overwritten in place afterwards (a block's output,
    /// not a convolution inside a residual block).
    /// </summary>
    public string? LayerName
    {
        get;
        init => field = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException("GradCamOptions.LayerName must be null (the architecture's default) or a module name.", nameof(LayerName));
    }
}
