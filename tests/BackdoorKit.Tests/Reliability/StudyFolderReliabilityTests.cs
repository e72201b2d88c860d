using System.Diagnostics;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Models;
using BackdoorKit.Tests.Results;
using BackdoorKit.Training;
using Microsoft.Data.Sqlite;

namespace BackdoorKit.Tests.Reliability;

/// <summary>
/// Damaged stores, hostile targets, locked folders and impossible devices against the CLI: each gives its exit code and
/// one line on standard error, and changes nothing on disk that the user did not ask to change.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")]
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed class StudyFolderReliabilityTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly string study;
    private readonly string data;
    private readonly string matrixFile;

    public StudyFolderReliabilityTests()
    {
        study = root.Combine("study");
        data = root.Combine("data");
        DatasetFixtures.WriteSmallMnist(Path.Combine(data, "mnist"));
        matrixFile = root.Combine("tiny.json");
        Tiny.Save(matrixFile);
    }

    private static ExperimentMatrix Tiny { get; } = new()
    {
        Name = "tiny",
        Datasets = [new DatasetEntry { Name = "mnist", InputSize = 16, TrainLimit = 5, TestLimit = 3 }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        Weights = "random",
        TriggerSizes = [0.25],
        Positions = ["bottom-right"],
        Colors = ["#FFFFFF"],
        PoisoningRates = [0.4],
        Repetitions = 1,
        Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 4 },
    };

    public void Dispose() => root.Dispose();

    [Fact]
    public void ReadCommands_OnACorruptPage_ExitTwoWithOneLine_AndChangeNothing()
    {
        RunTiny().Should().Be(0);
        string store = Path.Combine(study, SqliteResultStore.FileName);
        byte[] bytes = File.ReadAllBytes(store);
        bytes.Length.Should().BeGreaterThan(8192);
        Array.Fill(bytes, (byte)0xA5, 4096, 4096); // page 2: the results table's first page
        File.WriteAllBytes(store, bytes);

        foreach (string[] command in ReadCommands())
        {
            ExpectRefusal(2, command, "results.sqlite");
        }
    }

    [Fact]
    public void ADamagedRow_IsReportedAndSkipped_NotCountedAsDone_AndARunRepairsIt()
    {
        RunTiny().Should().Be(0);
        string id = Tiny.Expand().Backdoored.Single().Id;
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(study, SqliteResultStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand damage = connection.CreateCommand();
            damage.CommandText = "UPDATE results SET \"resultJson\" = '{\"experimentId\": 1' WHERE \"experimentId\" = $id;";
            damage.Parameters.AddWithValue("$id", id);
            damage.ExecuteNonQuery().Should().Be(1);
        }

        (int code, string output, string error) = ConsoleCapture.Run("status", "--out", study);
        code.Should().Be(0);
        output.Should().Contain("1/2 experiments done");
        error.Should().Contain($"row {id} is damaged");
        ConsoleCapture.Run("report", "--out", study).Code.Should().Be(0);
        ConsoleCapture.Run("export", "--out", study, "--format", "json", "--file", root.Combine("out.json")).Code.Should().Be(0);

        RunTiny().Should().Be(0, "the damaged experiment runs again and its new result replaces the row");
        using var repaired = SqliteResultStore.OpenReadOnly(Path.Combine(study, SqliteResultStore.FileName));
        repaired.CompletedIds().Should().HaveCount(2);
        repaired.DamagedRows.Should().BeEmpty();
    }

    [Fact]
    public void ARowWhoseSpecDoesNotHashToItsId_IsDamaged()
    {
        RunTiny().Should().Be(0);
        string path = Path.Combine(study, SqliteResultStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand swap = connection.CreateCommand();
            swap.CommandText = "UPDATE results SET \"resultJson\" = replace(\"resultJson\", '\"repetition\":0', '\"repetition\":7');";
            swap.ExecuteNonQuery().Should().Be(2);
        }

        using var store = SqliteResultStore.OpenReadOnly(path);
        store.CompletedIds().Should().BeEmpty();
        store.DamagedRows.Should().HaveCount(2).And.OnlyContain(r => r.Contains("does not hash to its id", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadCommands_OpenTheStoreReadOnly_AndLeaveEveryFileAsItWas()
    {
        RunTiny().Should().Be(0);
        IReadOnlyDictionary<string, string> before = FolderSnapshot.Of(study);

        ConsoleCapture.Run("status", "--out", study).Code.Should().Be(0);
        ConsoleCapture.Run("export", "--out", study, "--format", "csv", "--file", root.Combine("r.csv")).Code.Should().Be(0);
        ConsoleCapture.Run("export", "--out", study, "--format", "sqlite", "--file", root.Combine("copy.sqlite")).Code.Should().Be(0);

        FolderSnapshot.Of(study).Should().Equal(before);
        using var copy = SqliteResultStore.OpenReadOnly(root.Combine("copy.sqlite"));
        copy.CompletedIds().Should().HaveCount(2);
    }

    [Theory]
    [InlineData("results.sqlite")]
    [InlineData("results.sqlite-wal")]
    [InlineData("matrix.json")]
    [InlineData("run.lock")]
    public void Export_OntoTheStudysOwnFile_IsRefused_AndChangesNothing(string own)
    {
        RunTiny().Should().Be(0);

        ExpectRefusal(2, ["export", "--out", study, "--format", "csv", "--file", Path.Combine(study, own)], own);
    }

    [Fact]
    public void Export_ThroughASymlinkToTheStore_IsRefused()
    {
        RunTiny().Should().Be(0);
        string link = root.Combine("link.csv");
        File.CreateSymbolicLink(link, Path.Combine(study, SqliteResultStore.FileName));

        ExpectRefusal(2, ["export", "--out", study, "--format", "csv", "--file", link], "results.sqlite");
    }

    [Fact]
    public void Run_WhileAnotherLiveRunHoldsTheFolder_ExitsTwoNamingIt_AndTrainsNothing()
    {
        RunTiny().Should().Be(0);
        File.Delete(Path.Combine(study, SqliteResultStore.FileName));
        using StudyLock held = StudyLock.Acquire(study);
        IReadOnlyDictionary<string, string> before = FolderSnapshot.Of(study);

        (int code, _, string error) = ConsoleCapture.Run("run", "--matrix", matrixFile, "--out", study, "--data", data);

        code.Should().Be(2);
        OneLine(error).Should().Contain($"process {Environment.ProcessId}").And.Contain("in use");
        FolderSnapshot.Of(study).Should().Equal(before);
    }

    [Fact]
    public void Run_WithAStaleLockOfAProcessThatEnded_ReportsAndTakesItOver()
    {
        Directory.CreateDirectory(study);
        using (var ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            ended.WaitForExit();
            File.WriteAllText(
                Path.Combine(study, StudyLock.FileName),
                $"{Environment.MachineName}\n{ended.Id}\n{DateTime.UtcNow.AddMinutes(-5):O}\n");
        }

        (int code, string output, _) = ConsoleCapture.Run("run", "--matrix", matrixFile, "--out", study, "--data", data);

        code.Should().Be(0);
        output.Should().Contain("took over a stale lock");
        File.Exists(Path.Combine(study, StudyLock.FileName)).Should().BeFalse("the run releases its lock");
    }

    [Fact]
    public void Merge_OfAShardStillBeingWritten_IsRefused()
    {
        RunTiny().Should().Be(0);
        using StudyLock writer = StudyLock.Acquire(study);

        ExpectRefusal(2, ["merge", "--out", root.Combine("merged"), "--from", study], "still being written");
        Directory.Exists(root.Combine("merged")).Should().BeFalse();
    }

    [Theory]
    [InlineData("file", "is a file, not a folder")]
    [InlineData("empty", "needs a non-empty value")]
    [InlineData("proc", "cannot create the folder")]
    public void Run_WithAnUnusableOut_ExitsTwoNamingTheOption(string kind, string problem)
    {
        string output = kind switch
        {
            "file" => root.Combine("a-file"),
            "empty" => string.Empty,
            _ => "/proc/backdoorkit-cannot-be-here",
        };
        if (kind == "file")
        {
            File.WriteAllText(output, "x");
        }

        ExpectRefusal(2, ["run", "--matrix", matrixFile, "--out", output, "--data", data], "--out", problem);
    }

    [Fact]
    public void ReadCommands_WhereResultsSqliteIsAFolder_SayItIsAFolder()
    {
        Directory.CreateDirectory(Path.Combine(study, SqliteResultStore.FileName));
        Tiny.Save(Path.Combine(study, "matrix.json"));

        ExpectRefusal(2, ["status", "--out", study], "is a folder, not a result store");
    }

    [Theory]
    [InlineData("cuda", "CPU-only LibTorch")]
    [InlineData("cuda:3", "CPU-only LibTorch")]
    public void Run_OnACudaDeviceThatIsNotThere_ExitsTwoNamingThePackage_AndCreatesNoFolder(string device, string found)
    {
        ExpectRefusal(2, ["run", "--matrix", matrixFile, "--out", study, "--data", data, "--device", device], found, "TorchSharp-cuda-linux");
        Directory.Exists(study).Should().BeFalse();
    }

    [Fact]
    public void Run_WithAMissingDataFolder_ExitsTwo_AndCreatesNoFolder()
    {
        ExpectRefusal(2, ["run", "--matrix", matrixFile, "--out", study, "--data", root.Combine("nowhere")], "nowhere");
        Directory.Exists(study).Should().BeFalse();
    }

    [Fact]
    public void Run_OfAnOfficialDatasetWithTooFewSamples_ExitsTwoNamingTheSample_AndCreatesNoFolder()
    {
        (Tiny with { Datasets = [new DatasetEntry { Name = "mnist", InputSize = 16 }] }).Save(matrixFile);

        ExpectRefusal(2, ["run", "--matrix", matrixFile, "--out", study, "--data", data], "holds 5 training images", "60,000", "mnist-sample");
        Directory.Exists(study).Should().BeFalse();
    }

    [Theory]
    [InlineData("no weights folder")]
    [InlineData("empty weights folder")]
    [InlineData("NaN weights")]
    [InlineData("random bytes")]
    public void Run_OfAPretrainedMatrixWithBadWeights_ExitsTwoBeforeTheFirstExperiment_AndCreatesNoFolder(string problem)
    {
        (Tiny with { Weights = "pretrained" }).Save(matrixFile);
        string weights = root.Combine("weights");
        Directory.CreateDirectory(weights);
        string file = Path.Combine(weights, "small-cnn.safetensors");
        if (problem == "NaN weights")
        {
            File.Move(SmallCnnCheckpoints.WriteModified(weights, state => state[state.Keys.First(k => k.EndsWith(".weight", StringComparison.Ordinal) && !k.StartsWith("fc", StringComparison.Ordinal))].fill_(float.NaN), safetensors: true), file);
        }
        else if (problem == "random bytes")
        {
            File.WriteAllBytes(file, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        }

        string[] command = problem == "no weights folder"
            ? ["run", "--matrix", matrixFile, "--out", study, "--data", data]
            : ["run", "--matrix", matrixFile, "--out", study, "--data", data, "--weights", weights];
        ExpectRefusal(2, command, problem switch
        {
            "no weights folder" => "no weights directory is set",
            "empty weights folder" => "small-cnn.safetensors",
            _ => "small-cnn.safetensors",
        });
        Directory.Exists(study).Should().BeFalse();
    }

    private static IEnumerable<string[]> ReadCommandsFor(string study, string target) =>
    [
        ["status", "--out", study],
        ["report", "--out", study],
        ["export", "--out", study, "--format", "csv", "--file", target],
        ["export", "--out", study, "--format", "sqlite", "--file", target],
    ];

    private static string OneLine(string error)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle("an error is one line");
        return lines[0];
    }

    private IEnumerable<string[]> ReadCommands() => ReadCommandsFor(study, root.Combine("export.out"));

    private int RunTiny() => ConsoleCapture.Run("run", "--matrix", matrixFile, "--out", study, "--data", data).Code;

    private void ExpectRefusal(int expectedCode, string[] command, params string[] fragments)
    {
        IReadOnlyDictionary<string, string> before = FolderSnapshot.Of(root.Path);
        (int code, _, string error) = ConsoleCapture.Run(command);

        code.Should().Be(expectedCode, string.Join(' ', command));
        OneLine(error).Should().StartWith("error: ").And.ContainAll(fragments);
        FolderSnapshot.Of(root.Path).Should().Equal(before, "a refused command changes nothing on disk");
    }
}
