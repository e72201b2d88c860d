using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting;

/// <summary>One section of the report page: bullet paragraphs, then tables, then figures.</summary>
/// <param name="Title">The heading.</param>
/// <param name="Paragraphs">The bullet paragraphs.</param>
/// <param name="Tables">The tables.</param>
internal sealed record ReportSection(string Title, IReadOnlyList<string> Paragraphs, IReadOnlyList<TextTable> Tables)
{
    /// <summary>Gets the figures: title and PNG path.</summary>
    public IReadOnlyList<(string Title, string Png)> Figures { get; init; } = [];
}
