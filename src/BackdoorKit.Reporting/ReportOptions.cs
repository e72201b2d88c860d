namespace BackdoorKit.Reporting;

/// <summary>How a <see cref="ReportWriter"/> measures ASR and sizes its figures. Values are checked when set.</summary>
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

    /// <summary>
    /// Gets the ASR definition of every table, figure and finding, or null (default) for <see cref="Reporting.Asr.DefaultFor"/>:
    /// <see cref="AsrDefinition.IncludingTarget"/> for a <c>seed-code</c> study, else <see cref="AsrDefinition.ExcludingTarget"/>.
    /// </summary>
    public AsrDefinition? Asr
    {
        get;
        init => field = value is null || Enum.IsDefined(value.Value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Asr), value, $"Asr must be null or one of {string.Join(", ", Enum.GetNames<AsrDefinition>())}; got {(int)value.Value}.");
    }

    /// <summary>
    /// Gets the fewest (trigger size, poisoning rate) cells a dataset, color and position need for a rate x size heat map,
    /// in [1, 100]; smaller blocks are drawn in position x color grids instead.
    /// </summary>
    public int MinimumHeatMapCells
    {
        get;
        init => field = value is >= 1 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(MinimumHeatMapCells), value, $"MinimumHeatMapCells must be in [1, 100]; got {value}.");
    } = 4;
}
