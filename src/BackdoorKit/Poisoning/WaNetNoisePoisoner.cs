using BackdoorKit.Data;
using BackdoorKit.Triggers;

namespace BackdoorKit.Poisoning;

/// <summary>
/// WaNet's attack with its noise mode (Nguyen and Tran, 2021): the paper's dirty-label poisoning with a
/// <see cref="WarpTrigger"/>, plus <c>floor(k x poisoned)</c> further training images, drawn with the same seed from the
/// unpoisoned ones, that carry a randomly perturbed warp (<see cref="NoisyWarpTrigger"/>) and keep their labels
/// (<see cref="PoisonedDataset.CoverIndices"/>). k is the authors' cross ratio, 2 by default. The noise images make the
/// backdoor respond to the exact warp only, which is what keeps it from being found by warping-agnostic inspection.
/// </summary>
/// <remarks>
/// Works with the <c>wanet</c> trigger family only (any other trigger is refused when a training set is poisoned) and with
/// both label modes. The authors draw the poisoned and noise images anew in every batch, at rates per batch; this
/// poisoner fixes them once per experiment, as the paper's study fixes its poisoned samples, so eps keeps its meaning.
/// </remarks>
/// <param name="crossRatio">Noise images per poisoned image, in <c>[0, 10]</c>; the authors' default is 2.</param>
public sealed class WaNetNoisePoisoner(double crossRatio = 2) : IPoisoner
{
    /// <summary>Gets the number of noise images per poisoned image.</summary>
    public double CrossRatio { get; } = crossRatio is >= 0 and <= 10
        ? crossRatio
        : throw new ArgumentOutOfRangeException(nameof(crossRatio), crossRatio, $"crossRatio must lie in [0, 10]; got {crossRatio}.");

    /// <summary>Gets <c>wanet-noise</c>.</summary>
    public string Name => "wanet-noise";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The trigger is not a <see cref="WarpTrigger"/>, or the training set has too few unpoisoned samples for the noise images.
    /// </exception>
    public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (trigger is not WarpTrigger warp)
        {
            throw new ArgumentException(
                $"the wanet-noise poisoner perturbs a warp, but the trigger is {trigger?.Description ?? "null"}; use the wanet trigger family.", nameof(trigger));
        }

        using PoisonedDataset poisoned = KnownPoisoners.DirtyLabel.Poison(clean, warp, options);
        var taken = poisoned.PoisonedIndices.ToHashSet();
        int[] free = [.. Enumerable.Range(0, poisoned.Count).Where(i => !taken.Contains(i))];
        int count = (int)Math.Floor(CrossRatio * poisoned.PoisonedIndices.Count);
        if (count > free.Length)
        {
            throw new ArgumentException(
                $"cross ratio {CrossRatio} asks for {count} noise images, but only {free.Length} of {poisoned.Count} samples are not poisoned.", nameof(options));
        }

        int[] noise = DirtyLabelPoisoner.Choose(free, count, unchecked(options.Seed + 1));
        return poisoned.WithCover(new NoisyWarpTrigger(warp, options.Seed), noise);
    }

    /// <summary>Tells whether the poisoner can poison with a trigger: only a <see cref="WarpTrigger"/>, whose field it perturbs.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>Whether it is a warp.</returns>
    public bool Accepts(ITrigger trigger) => trigger is WarpTrigger;

    /// <summary>Tells whether the poisoner honours a label mode: every defined one, as the dirty-label poisoner it builds on.</summary>
    /// <param name="mode">The label mode.</param>
    /// <returns>Whether <see cref="Poison"/> accepts it.</returns>
    public bool Supports(LabelMode mode) => KnownPoisoners.DirtyLabel.Supports(mode);

    /// <inheritdoc />
    public override string ToString() => Name;
}
