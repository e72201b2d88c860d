using BackdoorKit.Data;
using BackdoorKit.Triggers;

namespace BackdoorKit.Poisoning;

/// <summary>
/// Clean-label poisoning (as in Barni et al., 2019, and Turner et al., 2019, without their adversarial perturbations):
/// <c>floor(eps * N)</c> training samples <em>of the target class</em>, chosen at random with a seed, carry the trigger
/// and keep their (correct) labels, so no label in the training set is wrong.
/// </summary>
/// <remarks>
/// <c>N</c> is the size of the whole training set, as for <see cref="DirtyLabelPoisoner"/>, so the same eps poisons the
/// same number of samples under both attacks. Selection: the first <c>floor(eps * N)</c> entries of a seeded
/// <c>randperm</c> of the target-class samples (in index order), sorted. The protocol's <see cref="PoisoningOptions.Source"/>
/// does not apply: the candidates are always the target class.
/// </remarks>
public sealed class CleanLabelPoisoner : IPoisoner
{
    /// <summary>Gets <c>clean-label</c>.</summary>
    public string Name => "clean-label";

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The target class is not a class of <paramref name="clean"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The target class has fewer samples than the rate asks for, or the options ask for <see cref="LabelMode.AllToAll"/>
    /// (clean-label poisoning keeps every label).
    /// </exception>
    public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LabelMode == LabelMode.AllToAll)
        {
            throw new ArgumentException("clean-label poisoning keeps every label, so it has no all-to-all mode; use LabelMode.AllToOne.", nameof(options));
        }

        return DirtyLabelPoisoner.PoisonAmong(
            clean,
            trigger,
            options,
            label => label == options.TargetClass,
            $"are of the target class {options.TargetClass} (clean-label poisoning takes target-class samples only)");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
