using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Reporting.Figures;
using BackdoorKit.Reporting.Findings;
using BackdoorKit.Reporting.Importance;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting;

/// <summary>
/// Turns a study's results into <c>report/</c>: Tables 2 and 3 in the paper's layout and in long form (Markdown, CSV,
/// LaTeX), the ASR heat maps, position x color grids and freeze-index plots (PNG and SVG), the parameter-importance table
/// (<c>importance.csv</c>), and a report page (<c>report.md</c> and a self-contained <c>report.html</c>) that states the
/// protocol, its differences from the published code, the trigger pixel sizes, the ASR definition and the freeze masks,
/// sets the study's numbers beside the paper's Findings 1-6, and lists failed and missing experiments. Grad-CAM figures
/// already in <c>report/figures</c> (from <c>ReproducePaper explain</c>) are linked too.
/// </summary>
public sealed class ReportWriter
{
    /// <summary>Initializes a new instance of the <see cref="ReportWriter"/> class.</summary>
    /// <param name="options">ASR definition and figure sizes; <see cref="ReportOptions.Default"/> when null.</param>
    public ReportWriter(ReportOptions? options = null) => Options = options ?? ReportOptions.Default;

    /// <summary>Gets the options.</summary>
    public ReportOptions Options { get; }

    /// <summary>Writes the report.</summary>
    /// <param name="results">The study's results.</param>
    /// <param name="planned">The planned experiments, to list the missing ones; null when unknown.</param>
    /// <param name="studyDirectory">The study folder; the report goes to its <c>report</c> sub-folder.</param>
    /// <param name="failures">One line per failed experiment, listed in a section of their own; null or empty when none.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">There are no results.</exception>
    public ReportFiles Write(IReadOnlyList<ExperimentResult> results, IReadOnlyList<ExperimentSpec>? planned, string studyDirectory, IReadOnlyList<string>? failures = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(studyDirectory);
        if (results.Count == 0)
        {
            throw new ArgumentException("there are no results to report.", nameof(results));
        }

        AsrDefinition asr = Options.Asr ?? Asr.DefaultFor(results);
        string root = Path.Combine(studyDirectory, "report");
        string tablesDirectory = Path.Combine(root, "tables");
        TextTable[] tables = [CleanAccuracyTable.BuildPaperLayout(results), CleanAccuracyTable.Build(results), TriggerCategoryTable.BuildPaperLayout(results, asr), TriggerCategoryTable.Build(results, asr)];
        IReadOnlyList<ImportanceRow> importance = ParameterImportance.Compute(results, asr);
        TextTable importanceTable = ImportanceTable(importance, asr);
        List<string> tableFiles = [.. tables[0].WriteAll(tablesDirectory, "table2-clean-accuracy-paper"), .. tables[1].WriteAll(tablesDirectory, "table2-clean-accuracy"),
            .. tables[2].WriteAll(tablesDirectory, "table3-trigger-categories-paper"), .. tables[3].WriteAll(tablesDirectory, "table3-trigger-categories"),
            .. importanceTable.WriteAll(tablesDirectory, "importance")];
        string importancePath = Path.Combine(root, "importance.csv");
        File.WriteAllText(importancePath, ParameterImportance.ToCsv(importance));
        IReadOnlyList<(string Title, string Png)> figures = ReportFigures.Write(results, Options, asr, Path.Combine(root, "figures"));

        HashSet<string> done = [.. results.Select(r => r.ExperimentId)];
        ExperimentSpec[] missing = [.. (planned ?? []).Where(s => !done.Contains(s.Id)).DistinctBy(s => s.Id)];
        var sections = new List<ReportSection>
        {
            Study(results, planned, missing),
            Protocol(results, asr),
            new("Tables", [], tables),
            new("Findings (the paper's section 4.5)", [.. PaperFindings.Evaluate(results, importance, asr).Select(Describe)], []),
            new("Which trigger parameter matters most", ["Full table: tables/importance.md; raw numbers: importance.csv."], [importanceTable]),
            new("Figures", [], []) { Figures = figures },
        };
        var defenseFigures = new List<(string Title, string Png)>();
        if (StealthTable.Build(results, asr) is { } stealth)
        {
            tableFiles.AddRange(stealth.WriteAll(tablesDirectory, "effective-and-stealthy"));
            TextTable defenseImportance = DefenseImportanceTable.Build(results)!;
            tableFiles.AddRange(defenseImportance.WriteAll(tablesDirectory, "defense-importance"));
            string figureDirectory = Path.Combine(root, "figures");
            foreach (string dataset in Levels.Datasets(StudyResults.Backdoored(results).Select(r => r.Spec.Dataset)))
            {
                foreach (string metric in DetectabilityFigure.Metrics(results))
                {
                    // A heat map needs two cells or more; a study of one size and rate (or one placement) gets none.
                    ExperimentResult[] measured = DetectabilityFigure.Select(results, dataset, metric);
                    if (measured.Select(r => (r.Spec.Trigger!.Size, r.Spec.PoisoningRate)).Distinct().Count() > 1)
                    {
                        defenseFigures.Add(($"{metric} by size and rate: {dataset}", FigureFiles.Save(
                            DetectabilityFigure.SizeByRate(results, dataset, metric), figureDirectory, DetectabilityFigure.FileName(dataset, metric, "size-rate"), 800, Options.FigureHeight)));
                    }

                    if (StudyResults.Placed(measured).Select(r => (r.Spec.Trigger!.Position, r.Spec.Trigger.Color)).Distinct().Count() > 1)
                    {
                        defenseFigures.Add(($"{metric} by position and color: {dataset}", FigureFiles.Save(
                            DetectabilityFigure.PositionByColor(results, dataset, metric), figureDirectory, DetectabilityFigure.FileName(dataset, metric, "position-color"), 800, Options.FigureHeight)));
                    }
                }
            }

            sections.Insert(3, new ReportSection(
                "Defenses",
                ["What the study's defenses detect (docs/defenses.md): AUROC and true positive rates, higher = detected; STRIP's false acceptance rate (far), higher = missed. Full table: tables/effective-and-stealthy.md."],
                [stealth, defenseImportance]) { Figures = defenseFigures });
        }

        if (FurtherMetricsTable.Build(results) is { } further)
        {
            tableFiles.AddRange(further.WriteAll(tablesDirectory, "further-metrics"));
            sections.Insert(3, new ReportSection("Further metrics", ["The runner's further metrics (`ExperimentRunnerOptions.Metrics`), per setting. Full table: tables/further-metrics.md."], [further]));
        }

        if (failures is { Count: > 0 })
        {
            sections.Add(new ReportSection("Failed experiments", [$"{failures.Count} experiments failed:", .. failures], []));
        }

        if (missing.Length > 0)
        {
            sections.Add(new ReportSection(
                "Missing experiments",
                [$"{missing.Length} planned experiments have no result yet (rerun `ReproducePaper run` with the same options to finish them):",
                 .. missing.Take(Options.MissingListed).Select(Describe),
                 .. missing.Length > Options.MissingListed ? [$"... and {missing.Length - Options.MissingListed} more."] : Array.Empty<string>()],
                []));
        }

        string markdown = Path.Combine(root, "report.md");
        string html = Path.Combine(root, "report.html");
        File.WriteAllText(markdown, ReportPage.ToMarkdown(sections, root));
        File.WriteAllText(html, ReportPage.ToHtml(sections));
        return new ReportFiles(markdown, html, [.. figures.Concat(defenseFigures).Select(f => f.Png)], tableFiles, importancePath, missing, asr);
    }

    private static TextTable ImportanceTable(IReadOnlyList<ImportanceRow> rows, AsrDefinition asr) => new(
        $"Parameter importance: share of ASR ({Asr.Name(asr)}) variance (eta squared, 95 % interval over repetitions)",
        ["scope", "term", "eta squared", "95 % interval", "repetitions"],
        [.. rows.Select(r => (IReadOnlyList<string>)[
            r.Scope,
            r.Term,
            r.Estimable ? TextTable.Fraction(r.EtaSquared) : "not crossed",
            double.IsNaN(r.Lower) ? "-" : $"{TextTable.Fraction(r.Lower)} - {TextTable.Fraction(r.Upper)}",
            r.Repetitions.ToString(CultureInfo.InvariantCulture)])]);

    private static ReportSection Study(IReadOnlyList<ExperimentResult> results, IReadOnlyList<ExperimentSpec>? planned, ExperimentSpec[] missing)
    {
        string coverage = planned is null
            ? $"{results.Count} results (no plan given, so missing experiments are not listed)."
            : $"{results.Count} results of {planned.Select(s => s.Id).Distinct().Count()} planned experiments; {missing.Length} missing.";
        return new ReportSection("Study", [coverage, $"Datasets: {Join(results.Select(r => r.Spec.Dataset))}. Models: {Join(results.Select(r => r.Spec.Model))}. Weights: {Join(results.Select(r => r.Spec.Weights))}. Freeze strategies: {Join(results.Select(r => r.Spec.FreezeStrategy))}. Trigger families: {Join(results.Where(r => r.Spec.Trigger is not null).Select(r => r.Spec.Trigger!.Family ?? KnownTriggerFactories.Patch.Name))}. Poisoners: {Join(results.Where(r => !r.Spec.IsClean).Select(r => r.Spec.Poisoner ?? Poisoning.KnownPoisoners.DirtyLabel.Name))}. Label modes: {Join(results.Where(r => !r.Spec.IsClean).Select(r => Poisoning.LabelModes.ToName(r.Spec.LabelMode)))}."], []);
    }

    private static string ResNet152Weights(IEnumerable<ExperimentResult> results)
    {
        string[] used = [.. results.Where(r => r.Spec.Model == "resnet152").Select(r => r.WeightsSource).Distinct().Order(StringComparer.Ordinal)];
        const string Code = "the code loads ResNet-152's torchvision DEFAULT weights, IMAGENET1K_V2 (resnet152-f82ba261.pth)";
        return used.Length == 0 ? Code + "; this study has no ResNet-152 results" : $"{Code}; this study used {string.Join(", ", used)}";
    }

    private ReportSection Protocol(IReadOnlyList<ExperimentResult> results, AsrDefinition asr)
    {
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
                ("GoogLeNet transform_input", p.GoogLeNetTransformInput?.ToString() ?? "torchvision's default", code.GoogLeNetTransformInput?.ToString() ?? "torchvision's default"),
                ("fresh first convolution on gray datasets", p.FreshFirstConvolutionOnGrayDatasets, code.FreshFirstConvolutionOnGrayDatasets),
            }.Where(d => !Equals(d.Here, d.Code)).Select(d => $"{d.Name}: {d.Here} here, {d.Code} in the published code")];
            protocol.Add(differences.Length == 0
                ? "Its conventions are the published code's (`seed-code`)."
                : "Differences from the published code (`seed-code`): " + string.Join("; ", differences) + ".");
            protocol.Add("What no protocol here reproduces of the published code: its NumPy permutation of poisoned samples and its unseeded cuDNN kernels (the same rules, other bits); its command-line default of 10 epochs (the paper's 20 are used); "
                + ResNet152Weights(results.Where(r => r.Protocol.Name == p.Name)) + ".");
        }

        protocol.Add($"ASR definition of every table, figure and finding: {Asr.Name(asr)}{(Options.Asr is null ? " (the default for this study's protocol)" : " (chosen)")}. {Asr.Describe(asr)} The CSV export has both.");
        protocol.Add("Trigger pixel sizes (placed triggers): " + string.Join("; ", StudyResults.Placed(results).Where(r => r.Trigger is not null)
            .Select(r => (r.Spec.Dataset, r.Spec.Trigger!.Size, r.Trigger!.Width, r.Trigger.Height, r.Trigger.Canvas, r.Trigger.CanvasWidth))
            .Distinct().OrderBy(t => t.Dataset, StringComparer.Ordinal).ThenBy(t => t.Size)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Dataset} {100 * t.Size:0.##} % = {t.Width}x{t.Height} px on the {t.CanvasWidth} px {t.Canvas} canvas"))) + ".");
        protocol.Add("Freeze masks (trainable / total parameters): " + string.Join("; ", results
            .Select(r => (r.Spec.Model, r.Spec.FreezeStrategy, r.TrainableParameters, r.TotalParameters)).Distinct()
            .OrderBy(t => t.Model, StringComparer.Ordinal).ThenBy(t => t.FreezeStrategy, StringComparer.Ordinal).Take(40)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Model} {t.FreezeStrategy}: {t.TrainableParameters:N0} / {t.TotalParameters:N0}"))) + ".");
        return new ReportSection("Protocol", protocol, []);
    }

    private static string Describe(FindingEvidence f) =>
        $"Finding {f.Number} (paper: {f.Claim}). " + (f.Numbers.Count > 0 ? "This study: " + string.Join("; ", f.Numbers) + ". " : string.Empty) + f.Reading;

    private static string Describe(ExperimentSpec s) => s.Trigger is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{s.Id}: {s.Dataset}, {s.Model}, {s.FreezeStrategy}, size {t.Size}, {t.Position}, {t.Color}, eps {s.PoisoningRate}, repetition {s.Repetition}")
        : $"{s.Id}: {s.Dataset}, {s.Model}, {s.FreezeStrategy}, clean, repetition {s.Repetition}";

    private static string Join(IEnumerable<string> values) => values.Any() ? string.Join(", ", values.Distinct().Order(StringComparer.Ordinal)) : "none";
}
