using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Poisoning;

/// <summary>A poisoned training set without the rows a defense flagged.</summary>
public class PoisonedDatasetWithoutTests
{
    private static readonly WarpTrigger Warp = new(new WarpTriggerOptions { Strength = 1 });

    [Fact]
    public void Without_KeepsTheOtherRowsWithTheirSamplesLabelsTriggersAndCovers()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);
        using PoisonedDataset poisoned = KnownPoisoners.WaNetNoise.Poison(
            clean, Warp, new PoisoningOptions { Rate = 0.1, TargetClass = 1, Seed = 6, LabelMode = LabelMode.AllToAll });
        int[] removed = [poisoned.PoisonedIndices[0], poisoned.CoverIndices[1], 0];

        using PoisonedDataset rest = poisoned.Without(removed);

        int[] kept = [.. Enumerable.Range(0, 40).Where(r => !removed.Contains(r))];
        long[] before = TinyDatasets.Longs(poisoned.Labels), after = TinyDatasets.Longs(rest.Labels);
        rest.Count.Should().Be(kept.Length);
        rest.SampleIndices.Should().Equal(kept);
        after.Should().Equal(kept.Select(r => before[r]), "labels, poisoned ones included, stay as they were");
        rest.PoisonedIndices.Select(i => kept[i]).Should().Equal(poisoned.PoisonedIndices.Where(r => !removed.Contains(r)));
        rest.CoverIndices.Select(i => kept[i]).Should().Equal(poisoned.CoverIndices.Where(r => !removed.Contains(r)));
        rest.CoverTrigger.Should().BeSameAs(poisoned.CoverTrigger);
        rest.LabelMode.Should().Be(LabelMode.AllToAll);
    }

    [Fact]
    public void Without_ARowOutOfRange_Throws()
    {
        using ImageDataset clean = TinyDatasets.Create(10, classes: 2);
        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, Warp, new PoisoningOptions { Rate = 0.2, TargetClass = 0 });

        Action act = () => poisoned.Without([3, 10]).Dispose();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("rows must lie in [0, 9].*");
    }
}
