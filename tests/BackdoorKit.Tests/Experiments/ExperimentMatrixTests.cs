using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Experiments;

public class ExperimentMatrixTests
{
    [Fact]
    public void Paper_ExpandsToThePapersCounts()
    {
        ExperimentPlan plan = KnownMatrices.Paper.Expand();

        // MNIST 4 models x 3 sizes x 5 positions x 2 colors x 4 rates x 5 reps = 2,400; CIFAR-10 and TinyImageNet 3,600 each.
        plan.Backdoored.Should().HaveCount(9_600);
        plan.Clean.Should().HaveCount(60);
        plan.FreezeStudy.Should().HaveCount(2 * 17 * 3 * 4);
        plan.All.Select(s => s.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Paper_UsesThePapersTrainingPerDataset()
    {
        ExperimentPlan plan = KnownMatrices.Paper.Expand();

        plan.All.Where(s => s.Dataset == "tinyimagenet").Should().OnlyContain(s => s.Training.BatchSize == 32);
        plan.All.Where(s => s.Dataset != "tinyimagenet").Should().OnlyContain(s => s.Training.BatchSize == 128);
        plan.All.Should().OnlyContain(s => s.Training.Epochs == 20 && s.Training.LearningRate == 0.001);
        plan.Backdoored.Where(s => s.Dataset == "mnist").Should().NotContain(s => s.Trigger!.Color == "#66B35C");
        plan.Clean.Should().OnlyContain(s => s.Trigger == null && s.PoisoningRate == 0);
        plan.FreezeStudy.Select(s => s.FreezeStrategy).Distinct().Should().HaveCount(17);
    }

    [Fact]
    public void Expand_RepetitionsDifferOnlyInSeed()
    {
        var matrix = new ExperimentMatrix
        {
            Datasets = [new DatasetEntry { Name = "mnist" }],
            Models = ["small-cnn"],
            TriggerSizes = [0.08],
            Positions = ["middle"],
            Colors = ["#FFFFFF"],
            PoisoningRates = [0.01],
            Repetitions = 3,
            BaseSeed = 40,
        };

        ExperimentPlan plan = matrix.Expand();

        plan.Backdoored.Select(s => (s.Repetition, s.Seed)).Should().Equal((0, 40), (1, 41), (2, 42));
        plan.Backdoored.Select(s => s with { Repetition = 0, Seed = 0 }).Distinct().Should().HaveCount(1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shard_SlicesPartitionThePlanExactly(int shards)
    {
        ExperimentPlan plan = KnownMatrices.Quick.Expand();

        var slices = Enumerable.Range(0, shards).Select(i => plan.Shard(i, shards)).ToArray();

        slices.SelectMany(s => s).Select(s => s.Id).Should().BeEquivalentTo(plan.All.Select(s => s.Id));
        slices.Sum(s => s.Count).Should().Be(plan.All.Count);
        slices.Max(s => s.Count).Should().BeLessThanOrEqualTo(slices.Min(s => s.Count) + 1);
    }

    [Fact]
    public void Shard_WithIndexOutsideTheCount_Fails()
    {
        Action act = () => KnownMatrices.Quick.Expand().Shard(3, 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 2]*");
    }

    [Fact]
    public void SaveAndLoad_RoundTripsToTheSamePlan()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        try
        {
            KnownMatrices.Paper.Save(path);
            ExperimentMatrix loaded = ExperimentMatrix.Load(path);

            loaded.Expand().All.Select(s => s.Id).Should().Equal(KnownMatrices.Paper.Expand().All.Select(s => s.Id));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WithBrokenJson_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"models\": [");
        try
        {
            Action act = () => ExperimentMatrix.Load(path);

            act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFileName(path)}*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
