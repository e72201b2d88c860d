using BackdoorKit.Data;
using BackdoorKit.Runtime;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Poisoning;

/// <summary>
/// The paper's attack: <c>floor(eps * N)</c> training samples, chosen at random with a seed, carry the trigger and take
/// the target label, replacing their clean originals so the training set keeps its size (dirty-label poisoning).
/// </summary>
/// <remarks>
/// <para>
/// <c>N</c> is the size of the whole training set (the paper's eps = m / n). The candidates are all samples
/// (<see cref="PoisonSourceClasses.AllClasses"/>) or the samples whose label is not the target
/// (<see cref="PoisonSourceClasses.NonTargetClasses"/>; under <see cref="LabelMode.AllToAll"/> every sample changes its
/// label, so every sample is a candidate), taken in index order. Poisoned labels follow <see cref="PoisoningOptions.LabelMode"/>.
/// </para>
/// <para>
/// Selection: a CPU <c>torch.Generator</c> seeded with <see cref="PoisoningOptions.Seed"/> draws a random permutation of
/// the candidates (<c>randperm</c>); its first <c>floor(eps * N)</c> entries are the poisoned samples, sorted ascending.
/// The same seed, candidates and count give the same samples on every machine and device. The published code's NumPy
/// permutation cannot be reproduced bit for bit; only its rule is.
/// </para>
/// </remarks>
public sealed class DirtyLabelPoisoner : IPoisoner
{
    /// <summary>Gets <c>dirty-label</c>.</summary>
    public string Name => "dirty-label";

    /// <summary>Tells whether the poisoner honours a label mode: every defined one.</summary>
    /// <param name="mode">The label mode.</param>
    /// <returns><see langword="true"/> for <see cref="LabelMode.AllToOne"/> and <see cref="LabelMode.AllToAll"/>.</returns>
    public bool Supports(LabelMode mode) => Enum.IsDefined(mode);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The target class is not a class of <paramref name="clean"/>.</exception>
    /// <exception cref="ArgumentException">There are fewer candidates than samples to poison.</exception>
    public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options) => PoisonAmong(
        clean,
        trigger,
        options,
        label => options.Source != PoisonSourceClasses.NonTargetClasses || options.LabelMode != LabelMode.AllToOne || label != options.TargetClass,
        $"are candidates ({options?.Source})");

    /// <summary>
    /// Poisons <c>floor(rate x N)</c> samples drawn (seeded) from the candidates, N being the whole training set: the
    /// rule both shipped poisoners share.
    /// </summary>
    /// <param name="clean">The clean training set.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="options">Rate, target class and seed.</param>
    /// <param name="candidate">Whether a sample with this label may be poisoned.</param>
    /// <param name="candidates">What the candidates are, for the message when there are too few ("are candidates (...)").</param>
    /// <returns>The poisoned view.</returns>
    internal static PoisonedDataset PoisonAmong(ImageDataset clean, ITrigger trigger, PoisoningOptions options, Func<long, bool> candidate, string candidates)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(options);
        PoisonedDataset.ValidateTargetClass(clean, options.TargetClass, nameof(options));
        TorchRuntime.EnsureInitialized();

        long[] labels = clean.LabelArray();
        int[] chosenFrom = [.. Enumerable.Range(0, labels.Length).Where(i => candidate(labels[i]))];
        int count = PoisonedCount(options.Rate, labels.Length);
        if (count > chosenFrom.Length)
        {
            throw new ArgumentException(
                $"rate {options.Rate} asks for {count} of {labels.Length} samples, but only {chosenFrom.Length} {candidates}.",
                nameof(options));
        }

        return new PoisonedDataset(clean, trigger, options.TargetClass, Choose(chosenFrom, count, options.Seed), labelMode: options.LabelMode);
    }

    /// <summary>Gets how many of <paramref name="samples"/> training samples a rate poisons: floor(rate x samples).</summary>
    /// <param name="rate">The poisoning rate, in [0, 1].</param>
    /// <param name="samples">The number of training samples.</param>
    /// <returns>The count; 0 when the rate is too small for the set.</returns>
    public static int PoisonedCount(double rate, int samples) => (int)Math.Floor(rate * samples);

    /// <summary>Gets the smallest rate that poisons at least one of <paramref name="samples"/> training samples.</summary>
    /// <param name="samples">The number of training samples; at least 1.</param>
    /// <returns>The rate r with <see cref="PoisonedCount"/>(r, samples) = 1 and no smaller such double.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 1.</exception>
    public static double SmallestPoisoningRate(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        double rate = 1.0 / samples;
        while (PoisonedCount(rate, samples) < 1)
        {
            rate = Math.BitIncrement(rate);
        }

        while (PoisonedCount(Math.BitDecrement(rate), samples) >= 1)
        {
            rate = Math.BitDecrement(rate);
        }

        return rate;
    }

    /// <summary>The first <paramref name="count"/> of a seeded permutation of the candidates, sorted ascending.</summary>
    internal static int[] Choose(int[] candidates, int count, int seed)
    {
        if (count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)seed));
        Tensor permutation = randperm(candidates.Length, ScalarType.Int64, generator: generator);
        long[] picked = permutation[TensorIndex.Slice(0, count)].data<long>().ToArray();
        int[] chosen = [.. picked.Select(p => candidates[p])];
        Array.Sort(chosen);
        return chosen;
    }
}
