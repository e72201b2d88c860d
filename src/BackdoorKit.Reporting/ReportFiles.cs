using BackdoorKit.Experiments;

namespace BackdoorKit.Reporting;

/// <summary>What a <see cref="ReportWriter"/> wrote.</summary>
/// <param name="Markdown">The report page as Markdown.</param>
/// <param name="Html">The self-contained HTML report page.</param>
/// <param name="Figures">The PNG figures (each has an SVG twin).</param>
/// <param name="Tables">The table files (Markdown, CSV, LaTeX).</param>
/// <param name="Importance">The parameter-importance CSV.</param>
/// <param name="Missing">Planned experiments without a result.</param>
/// <param name="Asr">The ASR definition the tables, figures and findings use.</param>
public sealed record ReportFiles(
    string Markdown, string Html, IReadOnlyList<string> Figures, IReadOnlyList<string> Tables, string Importance, IReadOnlyList<ExperimentSpec> Missing, AsrDefinition Asr);
