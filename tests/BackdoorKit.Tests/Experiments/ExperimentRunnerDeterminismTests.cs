using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Training;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

[Collection(GlobalTorchStateCollection.Name)]
public sealed class ExperimentRunnerDeterminismTests : IDisposable
{
    private readonly TempDirectory data = new();

    public ExperimentRunnerDeterminismTests() => BarImages.WriteMnist(data.Combine("mnist"), 160, 80);

    public void Dispose() => data.Dispose();

    [Fact]
    public void Run_SameSpecAndThreads_GivesBitIdenticalResults_AndAnotherSeedDoesNot()
    {
        ExperimentSpec spec = ExperimentRunnerTests.Spec(rate: 0.1) with
        {
            TrainLimit = 160,
            TestLimit = 80,
            Training = ExperimentRunnerTests.Spec(0).Training with { Epochs = 2 },
        };

        ExperimentResult first = RunInFreshRunner(spec);
        ExperimentResult second = RunInFreshRunner(spec);
        ExperimentResult otherSeed = RunInFreshRunner(spec with { Seed = 4 });

        second.Threads.Should().Be(first.Threads);
        second.FinalLoss.Should().Be(first.FinalLoss);
        second.CleanAccuracy.Should().Be(first.CleanAccuracy);
        second.AttackSuccessRate.Should().Be(first.AttackSuccessRate);
        second.AttackSuccessRateIncludingTarget.Should().Be(first.AttackSuccessRateIncludingTarget);
        otherSeed.FinalLoss.Should().NotBe(first.FinalLoss);
    }

    private ExperimentResult RunInFreshRunner(ExperimentSpec spec)
    {
        using var runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = data.Path, Compute = new ComputeOptions { Device = "cpu" } });
        return runner.Run(spec);
    }
}
