using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Triggers;
using Microsoft.Data.Sqlite;

namespace BackdoorKit.Tests.Results;

public sealed class SqliteResultStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bk-store-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    internal static ExperimentResult Result(int seed, double accuracy = 0.9, double? asr = 0.5)
    {
        var spec = new ExperimentSpec
        {
            Dataset = "mnist",
            Model = "small-cnn",
            FreezeStrategy = "full",
            Protocol = "paper-text",
            Trigger = asr is null ? null : new TriggerSpec(0.08, "middle", "#FFFFFF"),
            PoisoningRate = asr is null ? 0 : 0.01,
            Seed = seed,
        };
        return new ExperimentResult
        {
            ExperimentId = spec.Id,
            Spec = spec,
            Protocol = KnownProtocols.PaperText,
            Seed = seed,
            CleanAccuracy = accuracy,
            AttackSuccessRate = asr,
            AttackSuccessRateIncludingTarget = asr,
            Trigger = asr is null ? null : new TriggerGeometry(27, 27, 5, 5, TriggerCanvas.ModelInput, 64, 64, "patch"),
            DurationSeconds = 1.5,
        };
    }

    [Fact]
    public void Add_ThenReopen_KeepsEveryResultExactly()
    {
        ExperimentResult[] results = [Result(1), Result(2, asr: null)];
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            results.Select(store.Add).ToArray().Should().AllBeEquivalentTo(true);
        }

        using var reopened = SqliteResultStore.OpenFolder(folder);
        reopened.CompletedIds().Should().BeEquivalentTo(results.Select(r => r.ExperimentId));
        reopened.ReadAll().Should().BeEquivalentTo(results);
    }

    [Fact]
    public void Add_TheSameResultTwice_StoresItOnce()
    {
        using var store = SqliteResultStore.OpenFolder(folder);

        store.Add(Result(1)).Should().BeTrue();
        store.Add(Result(1) with { DurationSeconds = 9 }).Should().BeFalse();

        store.ReadAll().Should().ContainSingle();
    }

    [Fact]
    public void Add_ADifferentResultForAStoredId_IsRefused()
    {
        using var store = SqliteResultStore.OpenFolder(folder);
        store.Add(Result(1, accuracy: 0.9));

        Action act = () => store.Add(Result(1, accuracy: 0.8));

        act.Should().Throw<ResultConflictException>().WithMessage($"*{Result(1).ExperimentId}*0.9*0.8*");
    }

    [Fact]
    public void AWriteTornByACrash_LeavesTheStoreReadableWithTheCommittedResults()
    {
        string path = Path.Combine(folder, SqliteResultStore.FileName);
        using (var store = new SqliteResultStore(path))
        {
            store.Add(Result(1));
        }

        // A second writer dies between INSERT and COMMIT: its row must not appear, nothing else may break.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO results (\"experimentId\", \"resultJson\") VALUES ('torn', '{');";
            insert.ExecuteNonQuery();
        }

        using var reopened = new SqliteResultStore(path);
        reopened.CompletedIds().Should().BeEquivalentTo([Result(1).ExperimentId]);
        reopened.Add(Result(2)).Should().BeTrue();
    }

    [Fact]
    public void Open_AFileThatIsNotAStore_FailsNamingTheFile()
    {
        string path = Path.Combine(folder, "garbage.sqlite");
        File.WriteAllText(path, new string('x', 4096));

        Action act = () => new SqliteResultStore(path).Dispose();

        act.Should().Throw<InvalidDataException>().WithMessage("*garbage.sqlite*");
    }

    [Fact]
    public void Merge_CombinesShardStores_AndRefusesConflictsWithoutWriting()
    {
        using var a = new SqliteResultStore(Path.Combine(folder, "a.sqlite"));
        using var b = new SqliteResultStore(Path.Combine(folder, "b.sqlite"));
        using var target = new SqliteResultStore(Path.Combine(folder, "all.sqlite"));
        a.Add(Result(1));
        b.Add(Result(2));
        b.Add(Result(1));

        ResultStoreMerger.Merge(target, [a, b]).Should().Be(2);
        target.ReadAll().Should().HaveCount(2);

        using var c = new SqliteResultStore(Path.Combine(folder, "c.sqlite"));
        c.Add(Result(3));
        c.Add(Result(2, accuracy: 0.1));
        Action conflict = () => ResultStoreMerger.Merge(target, [c]);

        conflict.Should().Throw<ResultConflictException>().WithMessage($"*{Result(2).ExperimentId}*");
        target.ReadAll().Should().HaveCount(2, "a refused merge writes nothing");
    }

    [Fact]
    public void AddFailure_IsNotDone_SurvivesReopening_AndALaterResultRemovesIt()
    {
        ExperimentResult result = Result(7);
        ExperimentFailure failure = ExperimentFailure.From(result.Spec, new InvalidOperationException("out of memory"), TimeSpan.FromSeconds(3), "cpu");
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            store.AddFailure(failure);
            store.AddFailure(failure with { Message = "out of memory again" });
            store.CompletedIds().Should().BeEmpty();
        }

        using var reopened = SqliteResultStore.OpenFolder(folder);
        reopened.ReadFailures().Should().ContainSingle().Which.Should().BeEquivalentTo(failure with { Message = "out of memory again" });
        reopened.Add(result);
        reopened.ReadFailures().Should().BeEmpty();
        reopened.AddFailure(failure);
        reopened.ReadFailures().Should().BeEmpty("an experiment with a result is done; a late failure report does not undo it");
    }

    [Fact]
    public void Merge_CarriesFailuresOver_UnlessAnotherShardHasTheResult()
    {
        using var a = new SqliteResultStore(Path.Combine(folder, "a.sqlite"));
        using var b = new SqliteResultStore(Path.Combine(folder, "b.sqlite"));
        using var target = new SqliteResultStore(Path.Combine(folder, "all.sqlite"));
        a.AddFailure(ExperimentFailure.From(Result(1).Spec, new IOException("disk"), TimeSpan.Zero));
        a.AddFailure(ExperimentFailure.From(Result(2).Spec, new IOException("disk"), TimeSpan.Zero));
        b.Add(Result(2));

        ResultStoreMerger.Merge(target, [a, b]).Should().Be(1);

        target.ReadFailures().Select(f => f.ExperimentId).Should().Equal(Result(1).ExperimentId);
        target.CompletedIds().Should().Equal(Result(2).ExperimentId);
    }

    [Fact]
    public void WriteCsv_OfFailures_NamesTheErrorAndTheFactors()
    {
        ExperimentFailure failure = ExperimentFailure.From(Result(1).Spec, new InvalidOperationException("bad, \"quoted\""), TimeSpan.FromSeconds(2), "cpu");
        using var writer = new StringWriter();

        ResultExporter.WriteCsv([failure], writer);

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(string.Join(",", FailureColumns.All.Select(c => c.Name)));
        lines[0].Should().StartWith("experimentId,dataset,model,").And.Contain("errorType,message");
        lines[1].Should().StartWith($"{failure.ExperimentId},mnist,small-cnn,full,paper-text,,0.08,middle,#FFFFFF,0.01,")
            .And.Contain("InvalidOperationException,\"bad, \"\"quoted\"\"\",2,cpu,");
    }

    [Fact]
    public void WriteCsv_HasTheDocumentedColumns_AndEmptyTriggerColumnsForCleanBaselines()
    {
        var writer = new StringWriter();

        ResultExporter.WriteCsv([Result(1), Result(2, asr: null)], writer);

        string[] lines = writer.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string[] header = lines[0].Split(',');
        header.Should().ContainInOrder(
            "experimentId", "dataset", "model", "freezeStrategy", "protocol", "block", "triggerSize", "position", "color", "poisoningRate",
            "repetition", "seed", "cleanAccuracy", "attackSuccessRate", "attackSuccessRateIncludingTarget", "triggerX", "triggerY",
            "triggerWidth", "triggerHeight", "durationSeconds");
        lines.Should().HaveCount(3);
        string[] clean = lines[2].Split(',');
        clean[Array.IndexOf(header, "poisoningRate")].Should().Be("0");
        clean[Array.IndexOf(header, "triggerX")].Should().BeEmpty();
        clean[Array.IndexOf(header, "attackSuccessRate")].Should().BeEmpty();
        lines[1].Split(',')[Array.IndexOf(header, "triggerWidth")].Should().Be("5");
    }
}
