using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Results;
using BackdoorKit.Training;
using Microsoft.Data.Sqlite;

namespace BackdoorKit.Tests.Experiments;

/// <summary>Matrix files: unknown keys are errors, every error is one line starting with the file, and saving round-trips.</summary>
[Trait("Category", "Reliability")]
public sealed class ExperimentMatrixFileTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("\"repetitons\": 1", "$.repetitons is not a known key; did you mean 'repetitions'? (known: name, protocol, datasets, *)")]
    [InlineData("\"training\": { \"epoch\": 1 }", "$.training.epoch is not a known key; did you mean 'epochs'? (known: epochs, batchSize, *)")]
    [InlineData("\"include\": [ { \"datasets\": [ { \"name\": \"mnist\", \"trainLimt\": 10 } ] } ]", "$.include[0].datasets[0].trainLimt is not a known key; did you mean 'trainLimit'?*")]
    [InlineData("\"include\": [ { \"freezeStudy\": { \"modle\": \"alexnet\" } } ]", "$.include[0].freezeStudy.modle is not a known key; did you mean 'model'?*")]
    [InlineData("\"zzzzzzzz\": true", "$.zzzzzzzz is not a known key (known: name, protocol, *)")]
    [InlineData("\"a.b\": 1", "$['a.b'] is not a known key (known: *)")]
    public void Load_WithAnUnknownKey_NamesTheKeyItsPathAndTheNearestKnownOne(string member, string problem)
    {
        string path = Write(SmallMatrix.Json(member));

        Action act = () => ExperimentMatrix.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: not a valid experiment matrix: {problem}");
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("unknown key", "{ \"datasets\": [ { \"name\": \"mnist\" } ], \"models\": [ \"small-cnn\" ], \"repetitons\": 1 }")]
    [InlineData("line break in a key", "{ \"datasets\": [ { \"name\": \"mnist\" } ], \"models\": [ \"small-cnn\" ], \"a\\nb\": 1 }")]
    [InlineData("training out of range", "{ \"datasets\": [ { \"name\": \"mnist\", \"training\": { \"epochs\": 0 } } ], \"models\": [ \"small-cnn\" ] }")]
    [InlineData("line break in a model", "{ \"datasets\": [ { \"name\": \"mnist\" } ], \"models\": [ \"small-cnn\\nrm -rf\" ] }")]
    [InlineData("line break in the name", "{ \"name\": \"a\\r\\nb\", \"datasets\": [ { \"name\": \"mnist\" } ], \"models\": [ \"small-cnn\" ] }")]
    [InlineData("huge repetitions", "{ \"datasets\": [ { \"name\": \"mnist\" } ], \"models\": [ \"small-cnn\" ], \"repetitions\": 2000000000 }")]
    public void Load_InvalidFile_FailsWithOneLineStartingWithTheFile(string problem, string json)
    {
        string path = Write(json);

        Action act = () => ExperimentMatrix.Load(path);

        act.Should().Throw<InvalidDataException>(problem)
            .Which.Message.Should().StartWith($"{path}: not a valid experiment matrix: ").And.NotContainAny("\n", "\r", "\u2028");
    }

    [Theory]
    [InlineData("a folder")]
    [InlineData("a missing file")]
    public void Load_UnreadablePath_FailsWithOneLineStartingWithThePath(string what)
    {
        string path = what == "a folder" ? folder.Path : folder.Combine("missing.json");

        Action act = () => ExperimentMatrix.Load(path);

        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().StartWith($"{path}: cannot read the experiment matrix: ").And.NotContainAny("\n", "\r");
    }

    [Fact]
    public void Load_FileLargerThanTheLimit_FailsWithoutParsingIt()
    {
        string path = folder.Combine("huge.json");
        using (FileStream stream = File.Create(path))
        {
            stream.SetLength(ExperimentMatrixLimits.MaxFileBytes + 1);
        }

        Action act = () => ExperimentMatrix.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: not a valid experiment matrix: the file has 16,777,217 bytes, more than the limit of 16,777,216");
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("quick")]
    [InlineData("every member")]
    public void SaveThenLoad_UnderStrictKeys_RoundTripsEveryMember(string which)
    {
        ExperimentMatrix matrix = which switch
        {
            "paper" => KnownMatrices.Paper,
            "quick" => KnownMatrices.Quick,
            _ => SmallMatrix.Valid with
            {
                Datasets = [new DatasetEntry { Name = "mnist", Colors = ["black"], Training = TrainingOptions.Default with { Optimizer = OptimizerKind.Sgd }, TrainLimit = 500, TestLimit = 100, InputSize = 32 }],
                FreezeStrategy = "freeze-first-2",
                CleanBaselines = false,
                FreezeStudy = new FreezeStudy { Model = "small-cnn", Datasets = ["mnist"], FreezeIndices = [1], TriggerSizes = [0.1], PoisoningRates = [0.1], Position = "top-left", Color = "black", Repetitions = 2 },
                TargetClass = 3,
                BaseSeed = 7,
                Weights = "random",
                ColoredTriggersOnGrayDatasets = false,
            },
        };
        string path = folder.Combine("matrix.json");

        matrix.Save(path);
        ExperimentMatrix loaded = ExperimentMatrix.Load(path);

        JsonSerializer.Serialize(loaded, BackdoorKitJson.Compact).Should().Be(JsonSerializer.Serialize(matrix, BackdoorKitJson.Compact));
    }

    [Fact]
    public void ReadAll_ResultsWithKeysThisVersionDoesNotKnow_StillLoad()
    {
        string store = folder.Combine("results.sqlite");
        ExperimentResult result = SqliteResultStoreTests.Result(1);
        using (var writer = new SqliteResultStore(store))
        {
            writer.Add(result);
        }

        using (var connection = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = """UPDATE results SET "resultJson" = json_set(json_set("resultJson", '$.writtenByAFutureVersion', 1), '$.spec.training.futureKnob', 2);""";
            update.ExecuteNonQuery().Should().Be(1);
        }

        using var reader = new SqliteResultStore(store);
        reader.ReadAll().Should().ContainSingle().Which.Should().BeEquivalentTo(result);
    }

    private string Write(string json)
    {
        string path = folder.Combine($"matrix-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
