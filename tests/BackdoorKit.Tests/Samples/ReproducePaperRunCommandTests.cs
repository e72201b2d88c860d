using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Training;

using ReproducePaper.Commands;

namespace BackdoorKit.Tests.Samples;

/// <summary>The <c>run</c> command end to end: a tiny matrix on a five-digit MNIST fixture, into SQLite, resumed.</summary>
[Trait("Category", "Integration")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class ReproducePaperRunCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string matrixFile;
    private readonly string study;

    public ReproducePaperRunCommandTests()
    {
        DatasetFixtures.WriteSmallMnist(folder.Combine("data", "mnist"));
        matrixFile = folder.Combine("tiny.json");
        study = folder.Combine("study");
        Tiny.Save(matrixFile);
    }

    /// <summary>Gets the tiny matrix: one clean and two triggered small-CNN experiments on the five-digit MNIST fixture.</summary>
    internal static ExperimentMatrix Tiny { get; } = new()
    {
        Name = "tiny",
        Datasets = [new DatasetEntry { Name = "mnist", InputSize = 16, TrainLimit = 5, TestLimit = 3 }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        Weights = "random",
        TriggerSizes = [0.25],
        Positions = ["bottom-right", "top-left"],
        Colors = ["#FFFFFF"],
        PoisoningRates = [0.4],
        Repetitions = 1,
        Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 4 },
    };

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Run_TinyMatrix_StoresEveryExperimentOnceAndResumesWithoutRerunning()
    {
        Execute(Run()).Should().Be(0);
        using (var store = SqliteResultStore.OpenFolder(study))
        {
            IReadOnlyList<ExperimentResult> results = store.ReadAll();
            results.Select(r => r.ExperimentId).Should().BeEquivalentTo(Tiny.Expand().All.Select(s => s.Id));
            results.Should().OnlyContain(r => r.TrainSamples == 5 && r.TestSamples == 3 && r.InputSize == 16);
            results.Where(r => r.Spec.IsClean).Should().ContainSingle().Which.AttackSuccessRate.Should().BeNull();
            results.Where(r => !r.Spec.IsClean).Should().OnlyContain(r => r.PoisonedCount == 2 && r.Trigger!.Width == 4);
        }

        File.Exists(Path.Combine(study, "matrix.json")).Should().BeTrue();
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(study, SqliteResultStore.FileName));

        Execute(Run()).Should().Be(0, "a rerun finds every result stored");
        using var again = SqliteResultStore.OpenFolder(study);
        again.ReadAll().Should().HaveCount(3);
        again.ReadAll().Select(r => r.FinishedAt).Max().UtcDateTime.Should().BeBefore(written.AddSeconds(1));
    }

    [Fact]
    public void Report_AfterARun_WritesThePageTablesFiguresAndImportance()
    {
        Execute(Run()).Should().Be(0);

        Execute(["report", "--out", study]).Should().Be(0);

        string report = Path.Combine(study, "report");
        File.Exists(Path.Combine(report, "report.md")).Should().BeTrue();
        File.Exists(Path.Combine(report, "report.html")).Should().BeTrue();
        File.Exists(Path.Combine(report, "importance.csv")).Should().BeTrue();
        File.Exists(Path.Combine(report, "tables", "table2-clean-accuracy.csv")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(report, "figures"), "*.png").Select(Path.GetFileName)
            .Should().BeEquivalentTo(["grid-mnist-size25-eps40.png"], "one size and one rate: a position x color grid, not heat maps");
    }

    [Fact]
    public void Report_OfAFolderWithoutAStudy_ExitsTwo()
    {
        Execute(["report", "--out", folder.Combine("empty")]).Should().Be(2);
    }

    [Fact]
    public void Run_TwoShards_TogetherStoreTheWholeMatrix()
    {
        Execute([.. Run(), "--shard", "0/2"]).Should().Be(0);
        Execute([.. Run(), "--shard", "1/2"]).Should().Be(0);

        using var store = SqliteResultStore.OpenFolder(study);
        store.CompletedIds().Should().BeEquivalentTo(Tiny.Expand().All.Select(s => s.Id));
    }

    [Theory]
    [InlineData("--shard", "2/2")]
    [InlineData("--shard", "x")]
    [InlineData("--parallel", "0")]
    [InlineData("--device", "tpu")]
    [InlineData("--threads", "0")]
    [InlineData("--cache-gib", "0")]
    public void Run_WithBadOption_ExitsTwo(string option, string value)
    {
        Execute([.. Run(), option, value]).Should().Be(2);
        File.Exists(Path.Combine(study, SqliteResultStore.FileName)).Should().BeFalse("nothing runs on bad input");
    }

    [Fact]
    public void Run_IntoAFolderOfAnotherStudy_ExitsTwoAndKeepsItsMatrix()
    {
        Execute(Run()).Should().Be(0);
        string other = folder.Combine("other.json");
        (Tiny with { PoisoningRates = [0.2] }).Save(other);

        Execute(["run", "--matrix", other, "--out", study, "--data", folder.Combine("data")]).Should().Be(2);
        ExperimentMatrix.Load(Path.Combine(study, "matrix.json")).PoisoningRates.Should().Equal(0.4);
    }

    [Fact]
    public void Run_WhenSomeExperimentsFail_RunsToTheEnd_ExitsThree_AndARerunRetriesOnlyThem()
    {
        // Every CIFAR-10 experiment's training diverges (injected: no valid input diverges on demand); MNIST's run.
        string data = folder.Combine("data");
        DatasetFixtures.WriteSmallCifar10(Path.Combine(data, "cifar10"));
        ExperimentMatrix twoDatasets = Tiny with
        {
            Datasets =
            [
                new DatasetEntry { Name = "mnist", InputSize = 16, TrainLimit = 5, TestLimit = 3 },
                new DatasetEntry { Name = "cifar10", InputSize = 16, TrainLimit = 5, TestLimit = 3 },
            ],
        };
        RunCommand.Decorate.Value = runner => new DivergingOn("cifar10", runner);
        twoDatasets.Save(matrixFile);
        string[] cifar = [.. twoDatasets.Expand().All.Where(s => s.Dataset == "cifar10").Select(s => s.Id)];

        (int code, string output) = ExecuteCapturing(Run());

        code.Should().Be(3);
        output.Should().Contain("3 failed").And.Contain("TrainingDivergedException");
        using (var store = SqliteResultStore.OpenFolder(study))
        {
            store.CompletedIds().Should().HaveCount(3).And.NotIntersectWith(cifar);
            store.ReadFailures().Select(f => f.ExperimentId).Should().BeEquivalentTo(cifar);
        }

        ExecuteCapturing(["status", "--out", study]).Output.Should().Contain("3/6 experiments done (50.0 %), 3 failed, 0 pending");
        string failuresCsv = folder.Combine("failures.csv");
        Execute(["export", "--out", study, "--format", "csv", "--file", failuresCsv, "--failures"]).Should().Be(0);
        File.ReadAllLines(failuresCsv).Should().HaveCount(4);

        (code, output) = ExecuteCapturing(Run());

        code.Should().Be(3, "the rerun retries the failed experiments, and they fail again");
        output.Should().Contain("ran 3 experiments (3 failed)");
        using var again = SqliteResultStore.OpenFolder(study);
        again.CompletedIds().Should().HaveCount(3);
        again.ReadFailures().Should().HaveCount(3);
    }

    [Fact]
    public void Run_WithMissingDataset_ExitsTwoNamingTheFolder()
    {
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        try
        {
            Execute(["run", "--matrix", matrixFile, "--out", study, "--data", folder.Combine("nowhere")]).Should().Be(2);
        }
        finally
        {
            Console.SetError(original);
        }

        error.ToString().Should().Contain("nowhere");
    }

    private string[] Run() => ["run", "--matrix", matrixFile, "--out", study, "--data", folder.Combine("data")];

    private static (int Code, string Output) ExecuteCapturing(string[] args) => QuietCli.Capture(args);

    /// <summary>Runs experiments normally, except that those of one dataset fail as a diverged training does.</summary>
    private sealed class DivergingOn(string dataset, IExperimentRunner inner) : IExperimentRunner
    {
        public ExperimentResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
            spec.Dataset == dataset
                ? throw new TrainingDivergedException($"the loss became NaN at epoch 1, step 1 of experiment {spec.Id}")
                : inner.Run(spec, progress, cancellationToken);
    }

    private static int Execute(string[] args) => QuietCli.Execute(args);
}
