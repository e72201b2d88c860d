using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;

namespace BackdoorKit.Consumer.Tests;

/// <summary>
/// A source-specific backdoor: only training images of one source class carry the trigger and take the target label
/// (floor(rate x samples) of them, chosen by a seeded shuffle), so the trigger should fire for that class alone.
/// </summary>
/// <param name="sourceClass">The class whose images are poisoned.</param>
public sealed class SourceClassPoisoner(int sourceClass) : IPoisoner
{
    private int calls;

    /// <inheritdoc />
    public string Name => $"from-class-{sourceClass}";

    /// <summary>Gets how many training sets this instance has poisoned.</summary>
    public int Calls => calls;

    /// <inheritdoc />
    public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(options);
        Interlocked.Increment(ref calls);
        long[] labels = clean.LabelArray();
        int[] sources = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == sourceClass)];
        int count = (int)Math.Floor(options.Rate * labels.Length);
        if (count > sources.Length)
        {
            throw new ArgumentException($"rate {options.Rate} asks for {count} images, but class {sourceClass} has {sources.Length}.", nameof(options));
        }

        new Random(options.Seed).Shuffle(sources);
        return new PoisonedDataset(clean, trigger, options.TargetClass, [.. sources.Take(count).Order()]);
    }
}
