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
