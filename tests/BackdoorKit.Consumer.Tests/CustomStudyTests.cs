using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Reporting;
using BackdoorKit.Results;
using BackdoorKit.Studies;
using BackdoorKit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// A study built only from components of this assembly (a dataset, a model, a freeze strategy, a trigger family, a
/// poisoner and a metric), named in a matrix and run through the packaged study runner, result store, exporter and
/// report, as an application that installed the packages would.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CustomStudyTests : IClassFixture<CustomStudyTests.Study>
{
    private readonly Study study;

    public CustomStudyTests(Study study) => this.study = study;

    [Fact]
    public void TheMatrix_ExpandsToSpecsNamingTheCustomComponents()
    {
        study.Plan.Backdoored.Should().HaveCount(4);
        study.Plan.Clean.Should().ContainSingle();
        study.Plan.All.Should().OnlyContain(s => s.Model == "tiny-mlp" && s.FreezeStrategy == "bitfit" && s.Dataset == "bars" && s.Protocol == "native-canvas");
        study.Plan.Backdoored.Should().OnlyContain(s => s.Poisoner == "from-class-1" && s.Trigger!.Family == "checker-blend");
    }

    [Fact]
    public void TheMatrix_WithoutTheCustomComponents_IsRejectedNamingTheFirstUnknownOne()
    {
        Action act = () => study.Matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>().WithMessage("protocol 'native-canvas' is not a known protocol*");
    }

    [Fact]
    public void EveryExperiment_RanWithTheCustomComponents()
    {
        study.Summary.Failed.Should().Be(0, string.Join("; ", study.Failures.Select(f => f.Message)));
        study.Results.Should().HaveCount(5);
        study.Poisoner.Calls.Should().Be(4, "the runner poisons each backdoored experiment's training set with the spec's poisoner");
        foreach (ExperimentResult result in study.Results)
        {
            result.TrainableParameters.Should().Be(32 + (32 * SyntheticBarsReader.Classes) + SyntheticBarsReader.Classes, "bitfit trains fc1.bias and the head");
            result.TotalParameters.Should().Be((3 * 16 * 16 * 32) + 32 + (32 * 4) + 4);
            result.TestSamples.Should().Be(SyntheticBarsReader.TestCount);
        }

        ExperimentResult backdoored = study.Results.First(r => !r.Spec.IsClean);
        backdoored.Trigger!.Description.Should().StartWith("checker-blend(alpha=");
        backdoored.Protocol.Should().Be(study.Protocol);
        (backdoored.Trigger.Width, backdoored.Trigger.Height).Should().Be((16, 16), "a blended trigger may change every pixel");
        backdoored.PoisonedCount.Should().Be((int)Math.Floor(backdoored.Spec.PoisoningRate * SyntheticBarsReader.TrainCount));
        backdoored.CleanAccuracy.Should().BeGreaterThan(0.5, "the bars are easy to tell apart");
    }

    [Fact]
    public void TheCustomMetric_IsStoredWithEveryResultAndExported()
    {
        study.Results.Should().OnlyContain(r => r.Metrics.ContainsKey("prediction-flip"));
        study.Results.Where(r => !r.Spec.IsClean).Should().OnlyContain(r => r.Metrics["prediction-flip"] >= 0 && r.Metrics["prediction-flip"] <= 1);

        using var csv = new StringWriter();
        ResultExporter.WriteCsv(study.Results, csv);
        string[][] lines = [.. csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Fields)];
        string[] header = lines[0];
        lines.Should().HaveCount(6);
        int flip = Array.IndexOf(header, "metric.prediction-flip");
        int family = Array.IndexOf(header, "triggerFamily");
        int poisoner = Array.IndexOf(header, "poisoner");
        flip.Should().BePositive();
        string[] row = lines.Skip(1).First(r => r[poisoner] == "from-class-1");
        row[family].Should().Be("checker-blend");
        double.Parse(row[flip], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0, 1);
    }

    [Fact]
    public void TheReport_IsWrittenAndNamesTheCustomComponentsAndMetric()
    {
        string markdown = File.ReadAllText(study.Report.Markdown);

        markdown.Should().Contain("tiny-mlp").And.Contain("bitfit").And.Contain("checker-blend").And.Contain("from-class-1").And.Contain("prediction-flip");
        study.Report.Missing.Should().BeEmpty();
    }

    [Fact]
    public void AddBackdoorKit_BuildsTheRunnerFromRegisteredComponents()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton(new ExperimentRunnerOptions { DataPaths = new Dictionary<string, string> { ["bars"] = study.Folder } })
            .AddSingleton(SyntheticBarsReader.Descriptor)
            .AddSingleton(study.Protocol)
            .AddSingleton<Models.IModelFactory, TinyMlpFactory>()
            .AddSingleton<Models.Freezing.IFreezeStrategy, BitFitStrategy>()
            .AddSingleton<ITriggerFactory, CheckerBlendTriggerFactory>()
            .AddSingleton<Poisoning.IPoisoner>(new SourceClassPoisoner(1))
            .AddSingleton<Metrics.IMetric, PredictionFlipMetric>()
            .AddBackdoorKit()
            .BuildServiceProvider();

        IExperimentRunner runner = provider.GetRequiredService<IExperimentRunner>();
        ExperimentResult result = runner.Run(study.Plan.Backdoored[0]);

        result.Metrics.Should().ContainKey("prediction-flip");
        result.ExperimentId.Should().Be(study.Plan.Backdoored[0].Id);
        provider.GetRequiredService<ComponentCatalog>().Models.Get("tiny-mlp").Should().BeOfType<TinyMlpFactory>();
    }

    /// <summary>Splits one CSV line into its fields (RFC 4180: quoted fields may hold commas and doubled quotes).</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.TrimEnd('\r').Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>Runs the study once for every test of the class, in a temporary folder.</summary>
    public sealed class Study : IDisposable
    {
        public Study()
        {
            Folder = Directory.CreateTempSubdirectory("backdoorkit-consumer-").FullName;
            Poisoner = new SourceClassPoisoner(1);
            var metric = new PredictionFlipMetric();
            ComponentCatalog catalog = ComponentCatalog.Default
                .Add(SyntheticBarsReader.Descriptor)
                .Add(new TinyMlpFactory())
                .Add(new BitFitStrategy())
                .Add(new CheckerBlendTriggerFactory())
                .Add(Poisoner)
                .Add(metric)
                .Add(Protocol);
            Matrix = new ExperimentMatrix
            {
                Name = "consumer",
                Protocol = Protocol.Name,
                Datasets = [new DatasetEntry { Name = "bars" }],
                Models = ["tiny-mlp"],
                FreezeStrategy = "bitfit",
                Weights = "random",
                TriggerFamilies = ["checker-blend"],
                Poisoners = ["from-class-1"],
                TriggerSizes = [0.2, 0.4],
                Positions = ["middle"],
                Colors = ["#FFFFFF"],
                PoisoningRates = [0.05, 0.1],
                Repetitions = 1,
                Training = TrainingOptions.Default with { Epochs = 3, BatchSize = 32, LearningRate = 0.01 },
            };
            Plan = Matrix.Expand(catalog);
            using var runner = new ExperimentRunner(new ExperimentRunnerOptions
            {
                Catalog = catalog,
                Metrics = [metric],
                DataPaths = new Dictionary<string, string> { ["bars"] = Folder },
                Compute = new ComputeOptions { Device = "cpu" },
            });
            using SqliteResultStore store = SqliteResultStore.OpenFolder(Folder);
            StudyMatrixFile.SaveOrCheck(Folder, Matrix, store, catalog);
            runner.CheckInputs(Plan.All);
            Summary = new StudyRunner(runner, store).Run(Plan.All);
            Results = store.ReadAll();
            Failures = store.ReadFailures();
            if (Failures.Count > 0)
            {
                throw new InvalidOperationException("experiments failed: " + string.Join("; ", Failures.Select(f => $"{f.ErrorType}: {f.Message}")));
            }

            Report = new ReportWriter().Write(Results, Plan.All, Folder);
        }

        public string Folder { get; }

        public SourceClassPoisoner Poisoner { get; }

        /// <summary>Gets a protocol of this study's own: the paper's text, but triggers drawn on the native image.</summary>
        public StudyProtocol Protocol { get; } = KnownProtocols.PaperText with { Name = "native-canvas", TriggerCanvas = Triggers.TriggerCanvas.NativeImage };

        public ExperimentMatrix Matrix { get; }

        public ExperimentPlan Plan { get; }

        public StudyRunSummary Summary { get; }

        public IReadOnlyList<ExperimentResult> Results { get; }

        public IReadOnlyList<ExperimentFailure> Failures { get; }

        public ReportFiles Report { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
