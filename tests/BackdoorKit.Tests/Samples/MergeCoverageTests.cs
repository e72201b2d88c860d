using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using BackdoorKit.Triggers;
using ReproducePaper.Commands;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// <c>merge</c> reports what the merged study still misses: the count of missing and failed experiments and, given the
/// shard count, the array tasks that own them (<c>sbatch --array=1,3 FILE</c>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MergeCoverageTests : IDisposable
{
    private const int Shards = 4;

    private readonly TempDirectory root = new();
    private readonly ExperimentPlan plan;

    public MergeCoverageTests()
    {
        Matrix.Validate();
        plan = Matrix.Expand();
    }

    // 6 backdoored + 1 clean = 7 experiments; 4 shards own {0, 4}, {1, 5}, {2, 6}, {3}.
    private static ExperimentMatrix Matrix { get; } = SmallMatrix.Valid with
    {
        Positions = ["middle", "top-left", "bottom-right"],
        PoisoningRates = [0.01, 0.02],
    };

    public void Dispose() => root.Dispose();

    [Fact]
    public void Merge_WithMissingAndFailedExperiments_NamesTheArrayTasksToResubmit()
    {
        plan.All.Should().HaveCount(7);
        string[] shards = WriteShards(missing: plan.Shard(1, Shards)[1], failed: plan.Shard(3, Shards)[0]);

        (int code, string output) = QuietCli.Capture(["merge", "--out", root.Combine("merged"), "--from", .. shards, "--shards", "4", "--slurm", "my study.sh"]);

        code.Should().Be(0);
        output.Should().Contain("small: 5/7 experiments done, 2 missing (1 of them failed)")
            .And.Contain("2 of 4 shards incomplete; once the job has ended, resubmit them: sbatch --array=1,3 'my study.sh'");
    }

    [Fact]
    public void Merge_OfEveryExperiment_ReportsNothingMissingAndNoResubmission()
    {
        string[] shards = WriteShards(missing: null, failed: null);

        (int code, string output) = QuietCli.Capture(["merge", "--out", root.Combine("merged"), "--from", .. shards, "--shards", "4"]);

        code.Should().Be(0);
        output.Should().Contain("small: 7/7 experiments done, 0 missing (0 of them failed)").And.NotContain("sbatch");
    }

    [Fact]
    public void Merge_WithoutShardCount_AsksForIt()
    {
        string[] shards = WriteShards(missing: plan.All[0], failed: null);

        (int code, string output) = QuietCli.Capture(["merge", "--out", root.Combine("merged"), "--from", .. shards]);

        code.Should().Be(0);
        output.Should().Contain("6/7 experiments done, 1 missing").And.Contain("give --shards N");
    }

    [Fact]
    public void Merge_SlurmWithoutShards_ExitsTwo()
    {
        string[] shards = WriteShards(missing: null, failed: null);

        QuietCli.Execute(["merge", "--out", root.Combine("merged"), "--from", .. shards, "--slurm", "s.sh"]).Should().Be(2);
    }

    [Theory]
    [InlineData(new[] { 3, 7 }, "3,7")]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 4 }, "4")]
    public void ArrayRanges_WritesRunsAsRanges(int[] indices, string expected) =>
        ShardCoverage.ArrayRanges(indices).Should().Be(expected);

    private static ExperimentResult Result(ExperimentSpec spec) => new()
    {
        ExperimentId = spec.Id,
        Spec = spec,
        Protocol = KnownProtocols.PaperText,
        Seed = spec.Seed,
        CleanAccuracy = 0.9,
        AttackSuccessRate = spec.Trigger is null ? null : 0.5,
        AttackSuccessRateIncludingTarget = spec.Trigger is null ? null : 0.5,
        Trigger = spec.Trigger is null ? null : new TriggerGeometry(27, 27, 5, 5, TriggerCanvas.ModelInput, 64, 64, "patch"),
        DurationSeconds = 1.5,
    };

    /// <summary>Writes the 4 shard folders with a result for every experiment but <paramref name="missing"/> and <paramref name="failed"/> (stored as a failure).</summary>
    private string[] WriteShards(ExperimentSpec? missing, ExperimentSpec? failed)
    {
        var folders = new string[Shards];
        for (int i = 0; i < Shards; i++)
        {
            folders[i] = Directory.CreateDirectory(root.Combine($"shard-{i}")).FullName;
            Matrix.Save(Path.Combine(folders[i], StudyFolder.MatrixFile));
            using var store = SqliteResultStore.OpenFolder(folders[i]);
            foreach (ExperimentSpec spec in plan.Shard(i, Shards).Where(s => s != missing))
            {
                if (spec == failed)
                {
                    store.AddFailure(new ExperimentFailure { ExperimentId = spec.Id, Spec = spec, ErrorType = "TrainingDivergedException", Message = "loss is NaN" });
                }
                else
                {
                    store.Add(Result(spec)).Should().BeTrue();
                }
            }
        }

        return folders;
    }
}
