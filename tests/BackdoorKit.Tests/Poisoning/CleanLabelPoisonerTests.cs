using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

public class CleanLabelPoisonerTests
{
    private static readonly PatchTrigger Trigger = new(new PatchTriggerOptions { Size = 0.25, Position = TriggerPosition.BottomRight });

    [Fact]
    public void Poison_TakesOnlyTargetClassSamplesAndKeepsEveryLabel()
    {
        using ImageDataset clean = TinyDatasets.Create(100, classes: 4);

        using PoisonedDataset poisoned = KnownPoisoners.CleanLabel.Poison(clean, Trigger, new PoisoningOptions { Rate = 0.1, TargetClass = 2, Seed = 3 });

        poisoned.PoisonedIndices.Should().HaveCount(10).And.OnlyContain(i => i % 4 == 2);
        TinyDatasets.Same(poisoned.Labels, clean.Labels).Should().BeTrue("no label changes");
    }

    [Fact]
    public void Poison_SameSeed_SameSamples_OtherSeed_OtherSamples()
    {
        using ImageDataset clean = TinyDatasets.Create(100, classes: 4);
        PoisoningOptions options = new() { Rate = 0.05, TargetClass = 1, Seed = 7 };

        using PoisonedDataset a = KnownPoisoners.CleanLabel.Poison(clean, Trigger, options);
        using PoisonedDataset b = KnownPoisoners.CleanLabel.Poison(clean, Trigger, options);
        using PoisonedDataset c = KnownPoisoners.CleanLabel.Poison(clean, Trigger, options with { Seed = 8 });

        a.PoisonedIndices.Should().Equal(b.PoisonedIndices);
        c.PoisonedIndices.Should().NotEqual(a.PoisonedIndices);
    }

    [Fact]
    public void Poison_MoreThanTheTargetClassHolds_ThrowsWithTheCounts()
    {
        using ImageDataset clean = TinyDatasets.Create(100, classes: 4);

        Action act = () => KnownPoisoners.CleanLabel.Poison(clean, Trigger, new PoisoningOptions { Rate = 0.3, TargetClass = 0 }).Dispose();

        act.Should().Throw<ArgumentException>().WithMessage("rate 0.3 asks for 30 of 100 samples, but only 25 are of the target class 0*");
    }
}
