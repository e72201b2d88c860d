using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

/// <summary>The public evaluator measures a trained model exactly as the runner does, and scores any metric.</summary>
[Collection(GlobalTorchStateCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ModelEvaluatorTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly ExperimentRunner runner;

    public ModelEvaluatorTests()
    {
        BarImages.WriteMnist(data.Combine("mnist"), ExperimentRunnerTests.TrainCount, ExperimentRunnerTests.TestCount);
        runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } });
    }

    public void Dispose()
    {
        runner.Dispose();
        data.Dispose();
    }

    [Fact]
    public void Evaluate_ATrainedExperiment_GivesTheRunnersMetrics_AndScoresACustomMetric()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1);
        ExperimentResult expected = runner.Run(spec);
        using TrainedExperiment trained = runner.Train(spec);

        EvaluationOutcome outcome = new ModelEvaluator(spec.Training, runner.Options.Compute)
            .Evaluate(trained.Model, trained.Test, trained.Transform, trained.Trigger, spec.TargetClass);
        IReadOnlyDictionary<string, double> scores = ModelEvaluator.Score(outcome, [.. KnownMetrics.Standard, new TargetPredictionShare()]);

        scores[KnownMetrics.CleanAccuracy.Name].Should().Be(expected.CleanAccuracy);
        scores[KnownMetrics.AttackSuccessRate.Name].Should().Be(expected.AttackSuccessRate!.Value);
        scores[KnownMetrics.AttackSuccessRateIncludingTarget.Name].Should().Be(expected.AttackSuccessRateIncludingTarget!.Value);
        scores["target-share-clean"].Should().Be(outcome.CleanPredictions.Count(p => p == spec.TargetClass) / (double)outcome.CleanPredictions.Count);
    }

    [Fact]
    public void Run_WithACustomMetric_RecordsItPerExperiment_ThroughTheStoreAndTheCsv()
    {
        using var withMetric = new ExperimentRunner(runner.Options with { Metrics = [new TargetPredictionShare()] });
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1);

        ExperimentResult result = withMetric.Run(spec);
        ExperimentResult clean = withMetric.Run(spec with { PoisoningRate = 0, Trigger = null });
        using TrainedExperiment trained = withMetric.Train(spec);
        EvaluationOutcome outcome = new ModelEvaluator(spec.Training, runner.Options.Compute)
            .Evaluate(trained.Model, trained.Test, trained.Transform, trained.Trigger, spec.TargetClass);
        using (var store = new BackdoorKit.Results.SqliteResultStore(data.Combine("results.sqlite")))
        {
            store.Add(result);
            store.Add(clean);
        }

        using var reopened = new BackdoorKit.Results.SqliteResultStore(data.Combine("results.sqlite"));
        IReadOnlyList<ExperimentResult> stored = reopened.ReadAll();
        var csv = new StringWriter();
        BackdoorKit.Results.ResultExporter.WriteCsv(stored, csv);
        string[] lines = csv.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        double expected = outcome.CleanPredictions.Count(p => p == spec.TargetClass) / (double)outcome.CleanPredictions.Count;
        result.Metrics.Should().Equal(new Dictionary<string, double> { ["target-share-clean"] = expected });
        stored.Single(r => r.ExperimentId == spec.Id).Metrics.Should().Equal(result.Metrics);
        lines[0].Split(',')[^1].Should().Be("metric.target-share-clean");
        lines.Should().HaveCount(3).And.Contain(l => l.StartsWith(spec.Id, StringComparison.Ordinal)
            && l.EndsWith("," + expected.ToString("R", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public void Options_WithTwoMetricsOfOneName_FailNamingIt()
    {
        Action act = () => _ = new ExperimentRunnerOptions { Metrics = [new TargetPredictionShare(), new TargetPredictionShare()] };

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Metrics").WithMessage("*two metrics named 'target-share-clean'*");
    }

    [Fact]
    public void Score_WithTwoMetricsOfOneName_FailsNamingIt()
    {
        var outcome = new EvaluationOutcome([0, 1], [0, 1], [], [], 0);

        Action act = () => ModelEvaluator.Score(outcome, [new TargetPredictionShare(), new TargetPredictionShare()]);

        act.Should().Throw<ArgumentException>().WithMessage("*'target-share-clean'*");
    }

    // A metric of one's own: how often clean images are predicted as the target class.
    private sealed class TargetPredictionShare : IMetric
    {
        public string Name => "target-share-clean";

        public double Compute(EvaluationOutcome outcome) =>
            outcome.CleanPredictions.Count(p => p == outcome.TargetClass) / (double)outcome.CleanPredictions.Count;
    }
}
