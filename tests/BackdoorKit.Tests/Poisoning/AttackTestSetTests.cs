using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

public class AttackTestSetTests
{
    private static readonly PatchTrigger Black = new(new PatchTriggerOptions { Size = 0.25, Color = TriggerColor.Black });

    [Fact]
    public void Create_ExcludingTheTargetClass_TriggersAndRelabelsEveryOtherSample()
    {
        using ImageDataset clean = TinyDatasets.Create(25, classes: 5, side: 4); // five samples per class

        using PoisonedDataset attack = AttackTestSet.Create(clean, Black, targetClass: 2, includeTargetClass: false);

        attack.Count.Should().Be(20);
        attack.SampleIndices.Should().NotContain(i => i % 5 == 2).And.BeInAscendingOrder();
        attack.PoisonedIndices.Should().Equal(Enumerable.Range(0, 20));
        TinyDatasets.Longs(attack.Labels).Should().HaveCount(20).And.OnlyContain(l => l == 2);
        TinyDatasets.Longs(attack.TriggerMask).Should().OnlyContain(m => m == 1);
    }

    [Fact]
    public void Create_IncludingTheTargetClass_KeepsEverySample()
    {
        using ImageDataset clean = TinyDatasets.Create(25, classes: 5, side: 4);

        using PoisonedDataset attack = AttackTestSet.Create(clean, Black, targetClass: 2, includeTargetClass: true);

        attack.Count.Should().Be(25);
        attack.SampleIndices.Should().Equal(Enumerable.Range(0, 25));
        TinyDatasets.Longs(attack.Labels).Should().OnlyContain(l => l == 2);
    }

    [Fact]
    public void SelectBatch_ExcludingTheTargetClass_MapsRowsToTheirCleanSamples()
    {
        using ImageDataset clean = TinyDatasets.Create(10, classes: 2, side: 4); // odd indices are class 1
        using PoisonedDataset attack = AttackTestSet.Create(clean, Black, targetClass: 1, includeTargetClass: false);
        using Tensor rows = tensor(new long[] { 0, 3 });
        using Tensor samples = tensor(new long[] { 0, 6 });

        using PoisonedBatch batch = attack.SelectBatch(rows);

        TinyDatasets.Same(batch.Images, clean.Images.index_select(0, samples)).Should().BeTrue();
        TinyDatasets.Longs(batch.Labels).Should().Equal(1, 1);
    }

    [Fact]
    public void Create_TargetOutOfRange_ThrowsNamingTargetClass()
    {
        using ImageDataset clean = TinyDatasets.Create(10, classes: 2, side: 4);

        Action act = () => AttackTestSet.Create(clean, Black, targetClass: 2, includeTargetClass: true);

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "targetClass").WithMessage("*[0, 1]*");
    }
}
