using BackdoorKit.Data;
using BackdoorKit.Triggers;

namespace BackdoorKit.Poisoning;

/// <summary>Builds the fully poisoned test set (eps = 1) on which the attack success rate (ASR) is measured.</summary>
public static class AttackTestSet
{
    /// <summary>
    /// Creates a view of <paramref name="cleanTest"/> in which every row carries the trigger and its poisoned label (the
    /// target class, or the next class under <see cref="LabelMode.AllToAll"/>), so ASR is the view's accuracy. Excluding
    /// the samples whose poisoned label is their clean one (the target class's, all-to-one) gives the headline ASR;
    /// including them, as the published code does, counts samples that were already the target.
    /// </summary>
    /// <param name="cleanTest">The clean test set; it must outlive the result.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="targetClass">The target class, in <c>[0, cleanTest.ClassCount)</c>.</param>
    /// <param name="includeTargetClass">Whether samples whose clean label is the target class are kept (all-to-one only).</param>
    /// <param name="labelMode">Which label the triggered rows take.</param>
    /// <returns>The poisoned view; the caller disposes it (the clean set stays the caller's).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetClass"/> is not a class of the dataset.</exception>
    public static PoisonedDataset Create(
        ImageDataset cleanTest, ITrigger trigger, int targetClass, bool includeTargetClass, LabelMode labelMode = LabelMode.AllToOne)
    {
        ArgumentNullException.ThrowIfNull(cleanTest);
        ArgumentNullException.ThrowIfNull(trigger);
        PoisonedDataset.ValidateTargetClass(cleanTest, targetClass, nameof(targetClass));
        long[] labels = cleanTest.LabelArray();
        int[] samples = [.. Enumerable.Range(0, labels.Length).Where(i => includeTargetClass || labelMode != LabelMode.AllToOne || labels[i] != targetClass)];
        return new PoisonedDataset(cleanTest, trigger, targetClass, Enumerable.Range(0, samples.Length).ToArray(), samples, labelMode);
    }
}
