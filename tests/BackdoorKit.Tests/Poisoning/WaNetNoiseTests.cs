using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Poisoning;

/// <summary>WaNet's noise mode: a perturbed warp on extra images that keep their labels.</summary>
public class WaNetNoiseTests
{
    private static readonly WarpTrigger Warp = new(new WarpTriggerOptions { Strength = 1 });

    [Fact]
    public void NoisyWarp_IsDeterministicPerImage_WhateverTheBatch()
    {
        var noisy = new NoisyWarpTrigger(Warp, noiseSeed: 3);
        using Tensor images = Textured(4, 16);

        using Tensor together = noisy.Apply(images);
        using Tensor alone = noisy.Apply(images[2]);
        using Tensor again = noisy.Apply(images.index_select(0, tensor(new long[] { 2, 0 })));

        alone.to_type(ScalarType.Float32).allclose(together[2].to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue("an image's noise depends on the image, not on its batch");
        again[0].to_type(ScalarType.Float32).allclose(together[2].to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue();
        again[1].to_type(ScalarType.Float32).allclose(together[0].to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void NoisyWarp_PerturbsTheWarpSlightly_AndDiffersPerSeed()
    {
        using Tensor images = Textured(3, 32);

        using Tensor warped = Warp.Apply(images);
        using Tensor noisy = new NoisyWarpTrigger(Warp, noiseSeed: 0).Apply(images);
        using Tensor otherSeed = new NoisyWarpTrigger(Warp, noiseSeed: 1).Apply(images);
        using Tensor fromWarp = noisy.sub(warped).abs().mean([1, 2, 3]);
        using Tensor fromImage = warped.sub(images).abs().mean([1, 2, 3]);

        fromWarp.data<float>().ToArray().Should().OnlyContain(d => d > 0.5f, "every image gets its own noise");
        for (int i = 0; i < 3; i++)
        {
            fromWarp[i].item<float>().Should().BeLessThan(fromImage[i].item<float>(), "the noise is at most a pixel, smaller than the warp");
        }

        otherSeed.to_type(ScalarType.Float32).allclose(noisy.to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeFalse();
        new NoisyWarpTrigger(Warp, 7).Description.Should().StartWith("wanet-noise(wanet(strength=1,").And.EndWith(",noiseSeed=7)");
    }

    [Fact]
    public void Poison_AddsTwiceAsManyNoiseImages_DisjointFromThePoisoned_WithTheirLabelsKept()
    {
        using ImageDataset clean = TinyDatasets.Create(100, classes: 4);

        using PoisonedDataset poisoned = KnownPoisoners.WaNetNoise.Poison(clean, Warp, new PoisoningOptions { Rate = 0.1, TargetClass = 1, Seed = 4 });

        poisoned.PoisonedIndices.Should().HaveCount(10);
        poisoned.CoverIndices.Should().HaveCount(20).And.BeInAscendingOrder().And.NotIntersectWith(poisoned.PoisonedIndices);
        poisoned.CoverTrigger.Should().BeOfType<NoisyWarpTrigger>();
        long[] before = TinyDatasets.Longs(clean.Labels), after = TinyDatasets.Longs(poisoned.Labels);
        poisoned.CoverIndices.Should().OnlyContain(i => after[i] == before[i]);
        poisoned.PoisonedIndices.Should().OnlyContain(i => after[i] == 1);
        using PoisonedDataset dirty = KnownPoisoners.DirtyLabel.Poison(clean, Warp, new PoisoningOptions { Rate = 0.1, TargetClass = 1, Seed = 4 });
        poisoned.PoisonedIndices.Should().Equal(dirty.PoisonedIndices, "the poisoned images are the dirty-label poisoner's");
    }

    [Fact]
    public void Batches_DrawTheNoisyWarpOnCoverRows_TheWarpOnPoisonedRows_AndNothingElsewhere()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4, side: 16);
        using PoisonedDataset poisoned = KnownPoisoners.WaNetNoise.Poison(clean, Warp, new PoisoningOptions { Rate = 0.1, TargetClass = 0, Seed = 1 });
        using var scope = NewDisposeScope();

        using ImageDataset drawn = poisoned.MaterializeNative();

        int cover = poisoned.CoverIndices[0], trigger = poisoned.PoisonedIndices[0];
        int plain = Enumerable.Range(0, 40).First(i => !poisoned.CoverIndices.Contains(i) && !poisoned.PoisonedIndices.Contains(i));
        drawn.Images[plain].to_type(ScalarType.Float32).allclose(clean.Images[plain].to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue();
        drawn.Images[trigger].to_type(ScalarType.Float32).allclose(Warp.Apply(clean.Images[trigger]).to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue();
        drawn.Images[cover].to_type(ScalarType.Float32).allclose(poisoned.CoverTrigger!.Apply(clean.Images[cover]).to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeTrue();
        drawn.Images[cover].to_type(ScalarType.Float32).allclose(clean.Images[cover].to_type(ScalarType.Float32), rtol: 0, atol: 0).Should().BeFalse();
    }

    [Fact]
    public void Poison_WithAPatch_ThrowsNamingTheFamilyItNeeds()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);
        var patch = new PatchTrigger(new PatchTriggerOptions { Size = 0.25 });

        Action act = () => KnownPoisoners.WaNetNoise.Poison(clean, patch, new PoisoningOptions { Rate = 0.1, TargetClass = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("the wanet-noise poisoner perturbs a warp, but the trigger is patch(*; use the wanet trigger family.*");
    }

    [Fact]
    public void Poison_TooFewFreeSamplesForTheNoise_ThrowsWithTheCounts()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);

        Action act = () => KnownPoisoners.WaNetNoise.Poison(clean, Warp, new PoisoningOptions { Rate = 0.5, TargetClass = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("cross ratio 2 asks for 40 noise images, but only 20 of 40 samples are not poisoned.*");
    }

    [Fact]
    public void WithCover_RejectsPoisonedRowsAndAnotherCanvas()
    {
        using ImageDataset clean = TinyDatasets.Create(40, classes: 4);
        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, Warp, new PoisoningOptions { Rate = 0.1, TargetClass = 0, Seed = 2 });
        var native = new NoisyWarpTrigger(new WarpTrigger(new WarpTriggerOptions { Canvas = TriggerCanvas.NativeImage }));

        Action overlap = () => poisoned.WithCover(new NoisyWarpTrigger(Warp), [poisoned.PoisonedIndices[0]]).Dispose();
        Action canvas = () => poisoned.WithCover(native, []).Dispose();

        overlap.Should().Throw<ArgumentException>().WithMessage($"row {poisoned.PoisonedIndices[0]} is poisoned, so it cannot also be a cover row.*");
        canvas.Should().Throw<ArgumentException>().WithMessage("the cover trigger is drawn on NativeImage but the trigger on ModelInput*");
        Action ratio = () => _ = new WaNetNoisePoisoner(11);
        ratio.Should().Throw<ArgumentOutOfRangeException>().WithMessage("crossRatio must lie in [0, 10]; got 11.*");
    }

    private static Tensor Textured(int count, int side)
    {
        using var generator = new Generator(9);
        using Tensor values = randint(0, 256, [count, 3, side, side], generator: generator, dtype: ScalarType.Int64);
        return values.to_type(ScalarType.Float32);
    }
}
