using System.Globalization;
using System.Net;
using System.Text;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Reporting.Figures;
using BackdoorKit.Reporting.Importance;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting;

/// <summary>
/// Turns a study's results into <c>report/</c>: Tables 2 and 3 (Markdown, CSV, LaTeX), the ASR heat maps and
/// freeze-index plots (PNG and SVG), the parameter-importance table (<c>importance.csv</c>), and a report page
/// (<c>report.md</c> and a self-contained <c>report.html</c>) that states the protocol, its differences from the
/// published code, the trigger pixel sizes, the ASR definition and the freeze masks, and lists missing experiments.
/// Grad-CAM figures already in <c>report/figures</c> (from <c>ReproducePaper explain</c>) are linked too.
/// </summary>
public sealed class ReportWriter
{
    /// <summary>Initializes a new instance of the <see cref="ReportWriter"/> class.</summary>
    /// <param name="options">Figure sizes; <see cref="ReportOptions.Default"/> when null.</param>
    public ReportWriter(ReportOptions? options = null) => Options = options ?? ReportOptions.Default;

    /// <summary>Gets the options.</summary>
    public ReportOptions Options { get; }

    /// <summary>Writes the report.</summary>
    /// <param name="results">The study's results.</param>
    /// <param name="planned">The planned experiments, to list the missing ones; null when unknown.</param>
    /// <param name="studyDirectory">The study folder; the report goes to its <c>report</c> sub-folder.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">There are no results.</exception>
    public ReportFiles Write(IReadOnlyList<ExperimentResult> results, IReadOnlyList<ExperimentSpec>? planned, string studyDirectory)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(studyDirectory);
        if (results.Count == 0)
        {
            throw new ArgumentException("there are no results to report.", nameof(results));
        }

        string root = Path.Combine(studyDirectory, "report");
        string figures = Path.Combine(root, "figures");
        string tablesDirectory = Path.Combine(root, "tables");
        TextTable table2 = CleanAccuracyTable.Build(results);
        TextTable table3 = TriggerCategoryTable.Build(results);
        IReadOnlyList<ImportanceRow> importance = ParameterImportance.Compute(results);
        TextTable importanceTable = ImportanceTable(importance);
        List<string> tableFiles = [.. table2.WriteAll(tablesDirectory, "table2-clean-accuracy"), .. table3.WriteAll(tablesDirectory, "table3-trigger-categories"),
            .. importanceTable.WriteAll(tablesDirectory, "importance")];
        string importancePath = Path.Combine(root, "importance.csv");
        File.WriteAllText(importancePath, ParameterImportance.ToCsv(importance));

        var figureFiles = new List<(string Title, string Png)>();
        foreach ((string dataset, string color, string position) in HeatMapFigure.Combinations(results))
        {
            int models = results.Where(r => r.Spec.Dataset == dataset).Select(r => r.Spec.Model).Distinct().Count();
            figureFiles.Add(($"ASR heat map: {dataset}, {color}, {position}", FigureFiles.Save(
                HeatMapFigure.Create(results, dataset, color, position), figures, HeatMapFigure.FileName(dataset, color, position),
                (Options.PanelWidth * models) + 260, Options.FigureHeight)));
        }

        foreach (string dataset in FreezeIndexFigure.Datasets(results))
        {
            foreach (FreezeIndexLines lines in Enum.GetValues<FreezeIndexLines>())
            {
                string name = $"freeze-index-{dataset}-{lines.ToString().ToLowerInvariant()}";
                figureFiles.Add(($"ASR against freeze index: {dataset}, by {lines.ToString().ToLowerInvariant()}", FigureFiles.Save(
                    FreezeIndexFigure.Create(results, dataset, lines), figures, name, 800, Options.FigureHeight)));
            }
        }

        string[] gradCam = Directory.Exists(figures)
            ? [.. Directory.GetFiles(figures, "*.png").Where(f => Path.GetFileName(f).StartsWith("gradcam", StringComparison.Ordinal)
                || Path.GetFileName(f).StartsWith("feature-maps", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];
        figureFiles.AddRange(gradCam.Select(f => ($"Grad-CAM / feature maps: {Path.GetFileNameWithoutExtension(f)}", f)));

        HashSet<string> done = [.. results.Select(r => r.ExperimentId)];
        ExperimentSpec[] missing = [.. (planned ?? []).Where(s => !done.Contains(s.Id)).DistinctBy(s => s.Id)];
        var sections = Sections(results, planned, missing, table2, table3, importanceTable, importance, figureFiles);
        string markdown = Path.Combine(root, "report.md");
        string html = Path.Combine(root, "report.html");
        File.WriteAllText(markdown, ToMarkdown(sections, root));
        File.WriteAllText(html, ToHtml(sections));
        return new ReportFiles(markdown, html, [.. figureFiles.Select(f => f.Png)], tableFiles, importancePath, missing);
    }

    private static TextTable ImportanceTable(IReadOnlyList<ImportanceRow> rows) => new(
        "Parameter importance: share of ASR variance (eta squared, 95 % interval over repetitions)",
        ["scope", "term", "eta squared", "95 % interval", "repetitions"],
        [.. rows.Select(r => (IReadOnlyList<string>)[
            r.Scope,
            r.Term,
            r.Estimable ? TextTable.Fraction(r.EtaSquared) : "not crossed",
            double.IsNaN(r.Lower) ? "-" : $"{TextTable.Fraction(r.Lower)} - {TextTable.Fraction(r.Upper)}",
            r.Repetitions.ToString(CultureInfo.InvariantCulture)])]);

    private List<Section> Sections(
        IReadOnlyList<ExperimentResult> results,
        IReadOnlyList<ExperimentSpec>? planned,
        ExperimentSpec[] missing,
        TextTable table2,
        TextTable table3,
        TextTable importanceTable,
        IReadOnlyList<ImportanceRow> importance,
        List<(string Title, string Png)> figures)
    {
        var sections = new List<Section>();
        string coverage = planned is null
            ? $"{results.Count} results (no plan given, so missing experiments are not listed)."
            : $"{results.Count} results of {planned.Select(s => s.Id).Distinct().Count()} planned experiments; {missing.Length} missing.";
        sections.Add(new Section("Study", [coverage, $"Datasets: {Join(results.Select(r => r.Spec.Dataset))}. Models: {Join(results.Select(r => r.Spec.Model))}. Freeze strategies: {Join(results.Select(r => r.Spec.FreezeStrategy))}."], []));

        var protocol = new List<string>();
        foreach (StudyProtocol p in results.Select(r => r.Protocol).DistinctBy(p => p.Name))
        {
            protocol.Add($"Protocol `{p.Name}`: trigger rounding {p.TriggerRounding}, drawn on the {p.TriggerCanvas} canvas, colors on gray images {p.GrayTriggerColor}, normalization {p.Normalization}, resize {p.Resize}, poisoned samples from {p.PoisonSource}.");
            StudyProtocol code = KnownProtocols.SeedCode;
            string[] differences = [.. new (string Name, object Here, object Code)[]
            {
                ("trigger rounding", p.TriggerRounding, code.TriggerRounding), ("trigger canvas", p.TriggerCanvas, code.TriggerCanvas),
                ("colors on gray images", p.GrayTriggerColor, code.GrayTriggerColor), ("normalization", p.Normalization, code.Normalization),
                ("resize", p.Resize, code.Resize), ("poison source", p.PoisonSource, code.PoisonSource), ("freeze strategy", p.FreezeStrategy, code.FreezeStrategy),
            }.Where(d => !Equals(d.Here, d.Code)).Select(d => $"{d.Name}: {d.Here} here, {d.Code} in the published code")];
            protocol.Add(differences.Length == 0 ? "It matches the published code's conventions." : "Differences from the published code (`seed-code`): " + string.Join("; ", differences) + ".");
        }

        protocol.Add("ASR (headline, tables and figures): the fraction of triggered test images whose clean label is not the target class that the model classifies as the target. `attackSuccessRateIncludingTarget` in the CSV export counts target-class images too, as the published code does.");
        protocol.Add("Trigger pixel sizes: " + string.Join("; ", results.Where(r => r.Trigger is not null)
            .Select(r => (r.Spec.Dataset, r.Spec.Trigger!.Size, r.Trigger!.Width, r.Trigger.Height, r.Trigger.Canvas, r.Trigger.CanvasWidth))
            .Distinct().OrderBy(t => t.Dataset, StringComparer.Ordinal).ThenBy(t => t.Size)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Dataset} {100 * t.Size:0.##} % = {t.Width}x{t.Height} px on the {t.CanvasWidth} px {t.Canvas} canvas"))) + ".");
        protocol.Add("Freeze masks (trainable / total parameters): " + string.Join("; ", results
            .Select(r => (r.Spec.Model, r.Spec.FreezeStrategy, r.TrainableParameters, r.TotalParameters)).Distinct()
            .OrderBy(t => t.Model, StringComparer.Ordinal).ThenBy(t => t.FreezeStrategy, StringComparer.Ordinal).Take(40)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Model} {t.FreezeStrategy}: {t.TrainableParameters:N0} / {t.TotalParameters:N0}"))) + ".");
        sections.Add(new Section("Protocol", protocol, []));
        sections.Add(new Section("Tables", [], [table2, table3]));

        var findings = new List<string>();
        foreach (string scope in importance.Select(r => r.Scope).Distinct())
        {
            ImportanceRow? size = importance.FirstOrDefault(r => r.Scope == scope && r.Term == "size");
            ImportanceRow? rate = importance.FirstOrDefault(r => r.Scope == scope && r.Term == "rate");
            if (size is { Estimable: true } && rate is { Estimable: true })
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{scope}: trigger size explains {size.EtaSquared:P1} of the ASR variance and the poisoning rate {rate.EtaSquared:P1} ({(size.EtaSquared > rate.EtaSquared ? "size matters more" : "rate matters more")}; Finding 6)."));
            }

            string[] placement = [.. importance.Where(r => r.Scope == scope && r.Estimable && (r.Term.Contains("position", StringComparison.Ordinal) || r.Term.Contains("color", StringComparison.Ordinal)))
                .Take(4).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Term} {r.EtaSquared:P1}"))];
            if (placement.Length > 0)
            {
                findings.Add($"{scope}: position and color terms: {string.Join(", ", placement)}; large interactions with model or dataset mean no position or color is best everywhere (Finding 4).");
            }
        }

        sections.Add(new Section("Which trigger parameter matters most", [.. findings, "Full table: tables/importance.md; raw numbers: importance.csv."], [importanceTable]));
        sections.Add(new Section("Figures", [], []) { Figures = figures });
        if (missing.Length > 0)
        {
            sections.Add(new Section(
                "Missing experiments",
                [$"{missing.Length} planned experiments have no result yet (rerun `ReproducePaper run` with the same options to finish them):",
                 .. missing.Take(Options.MissingListed).Select(Describe),
                 .. missing.Length > Options.MissingListed ? [$"... and {missing.Length - Options.MissingListed} more."] : Array.Empty<string>()],
                []));
        }

        return sections;
    }

    private static string Describe(ExperimentSpec s) => s.Trigger is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{s.Id}: {s.Dataset}, {s.Model}, {s.FreezeStrategy}, size {t.Size}, {t.Position}, {t.Color}, eps {s.PoisoningRate}, repetition {s.Repetition}")
        : $"{s.Id}: {s.Dataset}, {s.Model}, {s.FreezeStrategy}, clean, repetition {s.Repetition}";

    private static string Join(IEnumerable<string> values) => string.Join(", ", values.Distinct().Order(StringComparer.Ordinal));

    private static string ToMarkdown(List<Section> sections, string root)
    {
        var text = new StringBuilder("# Backdoor trigger study report\n\n");
        foreach (Section section in sections)
        {
            text.Append("## ").Append(section.Title).Append("\n\n");
            foreach (string paragraph in section.Paragraphs)
            {
                text.Append("- ").Append(paragraph).Append('\n');
            }

            text.Append('\n');
            foreach (TextTable table in section.Tables)
            {
                text.Append(table.ToMarkdown()).Append('\n');
            }

            foreach ((string title, string png) in section.Figures)
            {
                string relative = Path.GetRelativePath(root, png).Replace('\\', '/');
                text.Append(CultureInfo.InvariantCulture, $"### {title}\n\n![{title}]({relative})\n\n");
            }
        }

        return text.ToString();
    }

    private static string ToHtml(List<Section> sections)
    {
        var text = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backdoor trigger study report</title>\n<style>")
            .Append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:2px 8px}caption{font-weight:bold;text-align:left}img{max-width:100%}</style></head><body>\n")
            .Append("<h1>Backdoor trigger study report</h1>\n");
        foreach (Section section in sections)
        {
            text.Append("<h2>").Append(WebUtility.HtmlEncode(section.Title)).Append("</h2>\n<ul>\n");
            foreach (string paragraph in section.Paragraphs)
            {
                text.Append("<li>").Append(WebUtility.HtmlEncode(paragraph)).Append("</li>\n");
            }

            text.Append("</ul>\n");
            foreach (TextTable table in section.Tables)
            {
                text.Append(table.ToHtml());
            }

            foreach ((string title, string png) in section.Figures)
            {
                text.Append("<h3>").Append(WebUtility.HtmlEncode(title)).Append("</h3>\n<img alt=\"").Append(WebUtility.HtmlEncode(title))
                    .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(File.ReadAllBytes(png))).Append("\">\n");
            }
        }

        return text.Append("</body></html>\n").ToString();
    }

    private sealed record Section(string Title, IReadOnlyList<string> Paragraphs, IReadOnlyList<TextTable> Tables)
    {
        public IReadOnlyList<(string Title, string Png)> Figures { get; init; } = [];
    }
}
