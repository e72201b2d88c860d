using BackdoorKit.Data;
using BackdoorKit.Triggers;

namespace BackdoorKit.Poisoning;

/// <summary>A data-poisoning attack: decides which training samples carry the trigger and which labels they get.</summary>
/// <remarks>Implementations are stateless and thread-safe, so one instance can serve a whole sweep.</remarks>
public interface IPoisoner
{
    /// <summary>Gets the poisoner's stable name, recorded with results and given by specs (<see cref="Experiments.ExperimentSpec.Poisoner"/>).</summary>
    string Name { get; }

    /// <summary>Poisons a training set. The clean dataset is not changed and stays owned by the caller.</summary>
    /// <param name="clean">The clean training set.</param>
    /// <param name="trigger">The trigger the poisoned samples carry.</param>
    /// <param name="options">The rate, target class, seed and candidate classes.</param>
    /// <returns>A view of <paramref name="clean"/> with poisoned labels and the rows that carry the trigger.</returns>
    PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options);

    /// <summary>
    /// Tells whether the poisoner honours a label mode (<see cref="PoisoningOptions.LabelMode"/>); matrices check it before
    /// anything runs. Only <see cref="LabelMode.AllToOne"/> unless a poisoner says otherwise.
    /// </summary>
    /// <param name="mode">The label mode.</param>
    /// <returns>Whether <see cref="Poison"/> accepts options with that mode.</returns>
    bool Supports(LabelMode mode) => mode == LabelMode.AllToOne;

    /// <summary>
    /// Tells whether the poisoner can poison with a trigger (WaNet's noise mode needs a warp); matrices check each trigger
    /// family against each poisoner before anything runs. Any trigger unless a poisoner says otherwise.
    /// </summary>
    /// <param name="trigger">A trigger of the family.</param>
    /// <returns>Whether <see cref="Poison"/> accepts it.</returns>
    bool Accepts(ITrigger trigger) => true;
}
