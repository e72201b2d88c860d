using BackdoorKit.Data;
using BackdoorKit.Metrics;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Poisoning;

public class LabelModeTests
{
    private static readonly PatchTrigger Trigger = new(new PatchTriggerOptions { Size = 0.25, Position = TriggerPosition.BottomRight });

    [Theory]
    [InlineData(LabelMode.AllToOne, 0, 3, 3)]
    [InlineData(LabelMode.AllToOne, 2, 3, 3)]
    [InlineData(LabelMode.AllToAll, 0, 3, 1)]
    [InlineData(LabelMode.AllToAll, 3, 3, 0)]
    public void Target_FollowsTheMode(LabelMode mode, long clean, int target, long expected) =>
        LabelModes.Target(mode, clean, target, classCount: 4).Should().Be(expected);

    [Fact]
    public void Poison_AllToAll_GivesEachPoisonedRowTheNextClassAndLeavesTheOthers()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(
            clean, Trigger, new PoisoningOptions { Rate = 0.25, TargetClass = 2, Seed = 5, LabelMode = LabelMode.AllToAll });

        long[] before = TinyDatasets.Longs(clean.Labels), after = TinyDatasets.Longs(poisoned.Labels);
        poisoned.LabelMode.Should().Be(LabelMode.AllToAll);
        poisoned.PoisonedIndices.Should().HaveCount(10);
        for (int i = 0; i < before.Length; i++)
        {
            after[i].Should().Be(poisoned.PoisonedIndices.Contains(i) ? (before[i] + 1) % 4 : before[i], "row {0}", i);
        }

        poisoned.PoisonedIndices.Select(i => before[i]).Should().Contain(2, "the target class is an ordinary source under all-to-all");
    }

    [Fact]
    public void Poison_AllToAllFromNonTargetClasses_StillTakesEveryClass()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);
        var options = new PoisoningOptions { Rate = 1, TargetClass = 0, Source = PoisonSourceClasses.NonTargetClasses, LabelMode = LabelMode.AllToAll };

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, Trigger, options);

        poisoned.PoisonedIndices.Should().HaveCount(40, "every sample changes its label, so every sample is a candidate");
    }

    [Fact]
    public void Poison_CleanLabelAllToAll_ThrowsNamingTheConflict()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);

        Action act = () => KnownPoisoners.CleanLabel.Poison(clean, Trigger, new PoisoningOptions { Rate = 0.1, TargetClass = 0, LabelMode = LabelMode.AllToAll });

        act.Should().Throw<ArgumentException>().WithMessage("clean-label poisoning keeps every label, so it has no all-to-all mode*");
        ((IPoisoner)KnownPoisoners.CleanLabel).Supports(LabelMode.AllToAll).Should().BeFalse();
        KnownPoisoners.DirtyLabel.Supports(LabelMode.AllToAll).Should().BeTrue();
    }

    [Fact]
    public void Options_UndefinedLabelMode_ThrowsNamingTheSettingAndTheValues()
    {
        Action act = () => _ = new PoisoningOptions { Rate = 0.1, TargetClass = 0, LabelMode = (LabelMode)7 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("LabelMode must be one of: AllToOne, AllToAll; got 7.*");
    }

    [Fact]
    public void AttackTestSet_AllToAll_KeepsEverySampleLabelledWithTheNextClass()
    {
        using ImageDataset test = TinyDatasets.Create(12, classes: 4);

        using PoisonedDataset attack = AttackTestSet.Create(test, Trigger, targetClass: 1, includeTargetClass: false, LabelMode.AllToAll);

        attack.Count.Should().Be(12, "no sample is already its all-to-all target");
        TinyDatasets.Longs(attack.Labels).Should().Equal(Enumerable.Range(0, 12).Select(i => (long)((i % 4) + 1) % 4));
        TinyDatasets.Longs(attack.TriggerMask.to_type(TorchSharp.torch.ScalarType.Int64)).Should().OnlyContain(v => v == 1);
    }

    [Fact]
    public void AttackSuccessRate_CountsHitsAgainstEachSamplesOwnTarget()
    {
        long[] sources = [0, 1, 2, 3];
        long[] targets = [1, 2, 3, 0];
        var outcome = new EvaluationOutcome(sources, sources, sources, [1, 2, 0, 0], targetClass: 0, targets);

        KnownMetrics.AttackSuccessRate.Compute(outcome).Should().Be(0.75);
        KnownMetrics.AttackSuccessRateIncludingTarget.Compute(outcome).Should().Be(0.75, "no sample is already its own target");
    }

    [Fact]
    public void EvaluationOutcome_TargetsOfAnotherLength_Throw()
    {
        Action act = () => _ = new EvaluationOutcome([0], [0], [0, 1], [0, 1], 0, [1]);

        act.Should().Throw<ArgumentException>().WithMessage("triggeredTargets has 1 entries but triggeredSourceLabels has 2.*");
    }

    [Fact]
    public void EvaluationOutcome_WithoutTargets_TargetsTheTargetClassEverywhere()
    {
        var outcome = new EvaluationOutcome([0], [0], [0, 1, 2], [3, 3, 1], targetClass: 3);

        outcome.TriggeredTargets.Should().Equal(3, 3, 3);
        KnownMetrics.AttackSuccessRate.Compute(outcome).Should().BeApproximately(2 / 3.0, 1e-12);
    }
}
