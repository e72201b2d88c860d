using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Training;
using ReproducePaper;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// The <c>plan</c> command on a tiny matrix: counts, FLOP, and the time from a short step calibration. Runs alone: it
/// captures the process's standard output, which other command tests write to.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed class ReproducePaperPlanCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string matrixFile;

    public ReproducePaperPlanCommandTests()
    {
        matrixFile = folder.Combine("tiny.json");
        new ExperimentMatrix
        {
            Name = "tiny",
            Datasets = [new DatasetEntry { Name = "mnist", InputSize = 16, TrainLimit = 10, TestLimit = 5 }],
            Models = ["small-cnn"],
            FreezeStrategy = "full",
            Weights = "random",
            TriggerSizes = [0.25],
            Positions = ["bottom-right", "top-left"],
            Colors = ["#FFFFFF"],
            PoisoningRates = [0.1],
            Repetitions = 1,
            Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 4, EvaluationBatchSize = 8 },
        }.Save(matrixFile);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Plan_PaperPresetJson_CountsThePapersBlocksAndEveryFactor()
    {
        (int code, string output) = QuietCli.Capture(["plan", "--preset", "paper", "--json", "--no-calibration"]);

        code.Should().Be(0);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        (root.GetProperty("backdoored").GetInt32(), root.GetProperty("clean").GetInt32(), root.GetProperty("freezeStudy").GetInt32(), root.GetProperty("total").GetInt32())
            .Should().Be((9_600, 60, 1_800, 11_460));
        var factors = root.GetProperty("factors").EnumerateArray()
            .ToDictionary(f => $"{f.GetProperty("factor").GetString()}={f.GetProperty("value").GetString()}", f => f.GetProperty("experiments").GetInt32());
        factors["model=alexnet"].Should().Be((9_600 / 4) + 15 + 1_800, "a quarter of the main matrix, its clean baselines and the whole freeze study");
        factors["dataset=tinyimagenet"].Should().Be((4 * 3 * 5 * 3 * 4 * 5) + 20, "4 models x 3 sizes x 5 positions x 3 colors x 4 rates x 5 repetitions + 4 x 5 clean");
        (factors["triggerFamily=patch"], factors["poisoner=dirty-label"], factors["labelMode=allToOne"], factors["labelMode=none"])
            .Should().Be((11_400, 11_400, 11_400, 60), "every backdoored experiment is the paper's attack");
        root.TryGetProperty("estimatedSeconds", out _).Should().BeFalse("--no-calibration measures nothing");
    }

    [Fact]
    public void Plan_Json_HasTheMeasuredStepTimesOfItsOneCellAndTheEstimate()
    {
        (int code, string output) = QuietCli.Capture(["plan", "--matrix", matrixFile, "--json", "--budget", "0.1"]);

        code.Should().Be(0);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        root.GetProperty("total").GetInt32().Should().Be(3);
        root.GetProperty("estimatedFlop").GetDouble().Should().BePositive();
        root.GetProperty("calibration").GetProperty("cells").GetInt32().Should().Be(1);
        JsonElement cell = root.GetProperty("cells").EnumerateArray().Should().ContainSingle().Subject;
        cell.GetProperty("model").GetString().Should().Be("small-cnn");
        cell.GetProperty("inputSize").GetInt32().Should().Be(16);
        cell.GetProperty("experiments").GetInt32().Should().Be(3);
        cell.GetProperty("trainStepSeconds").GetDouble().Should().BePositive();
        cell.GetProperty("triggeredEvaluationBatchSeconds").GetDouble().Should().BePositive();
        cell.GetProperty("trainStep").GetProperty("measured").EnumerateArray().Select(m => m.GetProperty("batchSize").GetInt32())
            .Should().Contain(2).And.OnlyContain(b => b == 2 || b == 4);
        root.GetProperty("estimatedSeconds").GetDouble().Should().BeApproximately(cell.GetProperty("seconds").GetDouble(), 1e-9);
    }

    [Fact]
    public void Plan_Text_SaysWhatTheTimeWasCalibratedOn()
    {
        (int code, string output) = QuietCli.Capture(["plan", "--matrix", matrixFile, "--budget", "0.1"]);

        code.Should().Be(0);
        output.Should().Contain("estimated compute: ").And.Contain(" FLOP");
        output.Should().MatchRegex(@"estimated time: [0-9.]+ (s|min|h|days) one experiment at a time, calibrated on measured steps of 1 cells on this machine \([0-9]+ threads");
        output.Should().Contain("--parallel P share these cores");
    }

    [Fact]
    public void Plan_NoCalibration_GivesFlopOnly()
    {
        (int code, string output) = QuietCli.Capture(["plan", "--matrix", matrixFile, "--json", "--no-calibration"]);

        code.Should().Be(0);
        using JsonDocument json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("estimatedFlop").GetDouble().Should().BePositive();
        json.RootElement.TryGetProperty("estimatedSeconds", out _).Should().BeFalse();
        json.RootElement.TryGetProperty("cells", out _).Should().BeFalse();
    }

    [Fact]
    public void Plan_Cancelled_ExitsWithTheCancelledCode()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Program.Execute(["plan", "--matrix", matrixFile, "--json"], cancellation.Token).Should().Be(130);
    }
}
