using BackdoorKit.Defenses;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Defenses;

/// <summary>A CPU runner over the bar-image digits (<see cref="ExperimentRunnerTests.Spec"/>) that runs the given defenses on every model.</summary>
internal sealed class DefendedRunner : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly ExperimentRunner runner;

    public DefendedRunner(params IDefense[] defenses)
    {
        BarImages.WriteMnist(data.Combine("mnist"), ExperimentRunnerTests.TrainCount, ExperimentRunnerTests.TestCount);
        runner = new ExperimentRunner(new ExperimentRunnerOptions
        {
            DataRoot = data.Path,
            Compute = new ComputeOptions { Device = "cpu" },
            Defenses = defenses,
        });
    }

    /// <summary>Runs the bar-image experiment at a poisoning rate (0 for a clean model).</summary>
    public ExperimentResult Run(double rate) => runner.Run(ExperimentRunnerTests.Spec(rate));

    /// <summary>Trains an experiment without running defenses.</summary>
    public TrainedExperiment Train(ExperimentSpec spec) => runner.Train(spec);

    /// <summary>Runs an experiment.</summary>
    public ExperimentResult Run(ExperimentSpec spec) => runner.Run(spec);

    public void Dispose()
    {
        runner.Dispose();
        data.Dispose();
    }
}
