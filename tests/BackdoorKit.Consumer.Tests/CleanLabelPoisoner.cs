using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// Clean-label poisoning: the trigger goes only onto training images of the target class, whose labels stay as they
/// are; floor(rate x samples) of them, chosen by a seeded shuffle.
/// </summary>
public sealed class CleanLabelPoisoner : IPoisoner
{
    /// <inheritdoc />
    public string Name => "clean-label";

    /// <summary>Gets how many training sets this instance has poisoned.</summary>
    public int Calls => calls;

    private int calls;

    /// <inheritdoc />
    public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(options);
        Interlocked.Increment(ref calls);
        long[] labels = clean.LabelArray();
        int[] targets = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == options.TargetClass)];
        int count = (int)Math.Floor(options.Rate * labels.Length);
        if (count > targets.Length)
        {
            throw new ArgumentException($"rate {options.Rate} asks for {count} images, but the target class has {targets.Length}.", nameof(options));
        }

        new Random(options.Seed).Shuffle(targets);
        return new PoisonedDataset(clean, trigger, options.TargetClass, [.. targets.Take(count).Order()]);
    }
}
