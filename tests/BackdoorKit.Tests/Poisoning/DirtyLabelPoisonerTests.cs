using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

public class DirtyLabelPoisonerTests
{
    private static readonly PatchTrigger White = new(new PatchTriggerOptions { Size = 0.25, Color = TriggerColor.White });

    [Theory]
    [InlineData(0.005, 1000, 5)]
    [InlineData(0.015, 999, 14)] // 14.985
    [InlineData(0.02, 120, 2)] // 2.4
    [InlineData(0.01, 99, 0)] // 0.99
    [InlineData(1.0, 37, 37)]
    public void Poison_RateOfN_PoisonsFloorOfRateTimesN(double rate, int n, int expected)
    {
        using ImageDataset clean = TinyDatasets.Create(n, side: 4);

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, White, new PoisoningOptions { Rate = rate, TargetClass = 0 });

        poisoned.PoisonedIndices.Should().HaveCount(expected).And.OnlyHaveUniqueItems().And.BeInAscendingOrder();
        poisoned.Count.Should().Be(n);
        TinyDatasets.Longs(poisoned.TriggerMask).Sum().Should().Be(expected);
    }

    [Fact]
    public void Poison_SameSeed_SelectsTheSameSamples_AndAnotherSeedOthers()
    {
        using ImageDataset clean = TinyDatasets.Create(500, side: 4);
        var options = new PoisoningOptions { Rate = 0.05, TargetClass = 3, Seed = 1 };

        using PoisonedDataset first = KnownPoisoners.DirtyLabel.Poison(clean, White, options);
        using PoisonedDataset again = new DirtyLabelPoisoner().Poison(clean, White, options);
        using PoisonedDataset other = KnownPoisoners.DirtyLabel.Poison(clean, White, options with { Seed = 2 });

        again.PoisonedIndices.Should().Equal(first.PoisonedIndices);
        other.PoisonedIndices.Should().NotEqual(first.PoisonedIndices);
    }

    [Fact]
    public void Poison_NonTargetClasses_NeverPicksTargetSamples()
    {
        using ImageDataset clean = TinyDatasets.Create(200, classes: 2, side: 4); // even indices are class 0
        var options = new PoisoningOptions { Rate = 0.5, TargetClass = 0, Source = PoisonSourceClasses.NonTargetClasses };

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, White, options);

        poisoned.PoisonedIndices.Should().HaveCount(100).And.OnlyContain(i => i % 2 == 1);
    }

    [Fact]
    public void Poison_AllClasses_CanPickTargetSamples()
    {
        using ImageDataset clean = TinyDatasets.Create(200, classes: 2, side: 4);

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, White, new PoisoningOptions { Rate = 0.5, TargetClass = 0 });

        poisoned.PoisonedIndices.Should().Contain(i => i % 2 == 0);
    }

    [Fact]
    public void Poison_NonTargetClassesButTooFewCandidates_Throws()
    {
        using ImageDataset clean = TinyDatasets.Create(20, classes: 2, side: 4);
        var options = new PoisoningOptions { Rate = 0.6, TargetClass = 1, Source = PoisonSourceClasses.NonTargetClasses };

        Action act = () => KnownPoisoners.DirtyLabel.Poison(clean, White, options);

        act.Should().Throw<ArgumentException>().WithMessage("*12 of 20*only 10*");
    }

    [Fact]
    public void Poison_Labels_PoisonedRowsTakeTheTargetAndOthersKeepTheirs()
    {
        using ImageDataset clean = TinyDatasets.Create(300, side: 4);
        long[] cleanLabels = clean.LabelArray();

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(
            clean, White, new PoisoningOptions { Rate = 0.1, TargetClass = 7, Seed = 5 });

        long[] labels = TinyDatasets.Longs(poisoned.Labels);
        long[] mask = TinyDatasets.Longs(poisoned.TriggerMask);
        var set = poisoned.PoisonedIndices.ToHashSet();
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i].Should().Be(set.Contains(i) ? 7 : cleanLabels[i], "row {0}", i);
            mask[i].Should().Be(set.Contains(i) ? 1 : 0, "row {0}", i);
        }
    }

    [Fact]
    public void Poison_LeavesTheCleanDatasetUnchanged()
    {
        using ImageDataset clean = TinyDatasets.Create(100);
        using Tensor images = clean.Images.clone();
        using Tensor labels = clean.Labels.clone();

        using (PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, White, new PoisoningOptions { Rate = 0.2, TargetClass = 1 }))
        {
            using ImageDataset native = poisoned.MaterializeNative();
            using PoisonedBatch batch = poisoned.SelectBatch(arange(10, ScalarType.Int64));
            using Tensor rendered = batch.Render(x => x);
        }

        TinyDatasets.Same(clean.Images, images).Should().BeTrue();
        TinyDatasets.Same(clean.Labels, labels).Should().BeTrue();
        clean.Images.IsInvalid.Should().BeFalse("the poisoned view must not dispose the clean dataset");
    }

    [Fact]
    public void Poison_RateZero_PoisonsNothing()
    {
        using ImageDataset clean = TinyDatasets.Create(50, side: 4);

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, White, new PoisoningOptions { Rate = 0, TargetClass = 2 });

        poisoned.PoisonedIndices.Should().BeEmpty();
        TinyDatasets.Same(poisoned.Labels, clean.Labels).Should().BeTrue();
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Options_InvalidRate_ThrowsNamingRateAndRange(double rate)
    {
        Action act = () => _ = new PoisoningOptions { Rate = rate, TargetClass = 0 };

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Rate").WithMessage("*[0, 1]*");
    }

    [Fact]
    public void Options_NegativeTarget_ThrowsNamingTargetClass()
    {
        Action act = () => _ = new PoisoningOptions { Rate = 0.01, TargetClass = -1 };

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "TargetClass").WithMessage("*>= 0*-1*");
    }

    [Fact]
    public void Poison_TargetBeyondClassCount_ThrowsNamingValueAndRange()
    {
        using ImageDataset clean = TinyDatasets.Create(20, classes: 10, side: 4);

        Action act = () => KnownPoisoners.DirtyLabel.Poison(clean, White, new PoisoningOptions { Rate = 0.1, TargetClass = 10 });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 9]*got 10*");
    }

    [Fact]
    public void OptionsFor_SeedCodeProtocol_TakesTheProtocolsSource()
    {
        StudyProtocol nonTarget = KnownProtocols.SeedCode with { PoisonSource = PoisonSourceClasses.NonTargetClasses };

        KnownProtocols.SeedCode.CreatePoisoningOptions(0.01, 3, 9).Source.Should().Be(PoisonSourceClasses.AllClasses);
        nonTarget.CreatePoisoningOptions(0.01, 3, 9).Should().Be(
            new PoisoningOptions { Rate = 0.01, TargetClass = 3, Seed = 9, Source = PoisonSourceClasses.NonTargetClasses });
    }
}
