namespace BackdoorKit.Explainability;

/// <summary>Layout and layer of the figures <see cref="AttentionFigure"/> draws.</summary>
public sealed record AttentionFigureOptions
{
    /// <summary>Gets the default options.</summary>
    public static AttentionFigureOptions Default { get; } = new();

    /// <summary>Gets the side, in pixels, of each Grad-CAM panel (images and maps are resized bilinearly to it); 8 to 1024, default 128.</summary>
    public int PanelSize
    {
        get;
        init => field = value is >= 8 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PanelSize), value, $"PanelSize must be in [8, 1024]; got {value}.");
    } = 128;

    /// <summary>Gets the side, in pixels, of each feature-map cell (activations are enlarged without smoothing); 8 to 1024, default 64.</summary>
    public int FeatureMapSize
    {
        get;
        init => field = value is >= 8 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(FeatureMapSize), value, $"FeatureMapSize must be in [8, 1024]; got {value}.");
    } = 64;

    /// <summary>Gets the white border, in pixels, around and between panels; 0 to 64, default 4.</summary>
    public int Border
    {
        get;
        init => field = value is >= 0 and <= 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Border), value, $"Border must be in [0, 64]; got {value}.");
    } = 4;

    /// <summary>Gets the opacity of the heat map over the image, in [0, 1]; default 0.5.</summary>
    public double Opacity
    {
        get;
        init => field = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Opacity), value, $"Opacity must be in [0, 1]; got {value}.");
    } = 0.5;

    /// <summary>Gets how many channels (the first ones) the feature-map figure shows; 1 to 256, default 16.</summary>
    public int Channels
    {
        get;
        init => field = value is >= 1 and <= 256
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Channels), value, $"Channels must be in [1, 256]; got {value}.");
    } = 16;

    /// <summary>Gets the layer both figures look at, or <see langword="null"/> for each architecture's Grad-CAM layer.</summary>
    public string? LayerName { get; init; }
}
