using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Samples;

/// <summary>The <c>run</c> command end to end: a tiny matrix on a five-digit MNIST fixture, into SQLite, resumed.</summary>
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

    private static ExperimentMatrix Tiny { get; } = new()
    {
        Name = "tiny",
        Datasets = [new DatasetEntry { Name = "mnist", InputSize = 16 }],
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

    private static int Execute(string[] args) => QuietCli.Execute(args);
}
