namespace BackdoorKit.Reporting;

/// <summary>How a <see cref="ReportWriter"/> sizes its figures. Values are checked when set.</summary>
public sealed record ReportOptions
{
    /// <summary>Gets the defaults.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>Gets the width of one model's panel in a heat map, in pixels, in [120, 4000].</summary>
    public int PanelWidth
    {
        get;
        init => field = value is >= 120 and <= 4000 ? value : throw new ArgumentOutOfRangeException(nameof(PanelWidth), value, $"PanelWidth must be in [120, 4000]; got {value}.");
    } = 300;

    /// <summary>Gets the height of every figure, in pixels, in [200, 4000].</summary>
    public int FigureHeight
    {
        get;
        init => field = value is >= 200 and <= 4000 ? value : throw new ArgumentOutOfRangeException(nameof(FigureHeight), value, $"FigureHeight must be in [200, 4000]; got {value}.");
    } = 420;

    /// <summary>Gets how many missing experiments the report lists by id before it only counts them, in [0, 100000].</summary>
    public int MissingListed
    {
        get;
        init => field = value is >= 0 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(MissingListed), value, $"MissingListed must be in [0, 100000]; got {value}.");
    } = 50;
}
