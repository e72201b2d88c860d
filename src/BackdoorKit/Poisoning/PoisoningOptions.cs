
namespace BackdoorKit.Poisoning;

/// <summary>The settings of one poisoning: rate, target class, label mode, seed and which classes may be poisoned.</summary>
/// <remarks>Each value is checked when it is set; the target class is checked against a dataset when it is poisoned.</remarks>
public sealed record PoisoningOptions
{
    private readonly double rate;
    private readonly int targetClass;
    private readonly PoisonSourceClasses source = PoisonSourceClasses.AllClasses;

    /// <summary>
    /// Gets the poisoning rate eps in <c>[0, 1]</c>: <c>floor(eps * N)</c> of the <c>N</c> training samples are poisoned,
    /// as the paper defines eps = m / n over the whole training set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>[0, 1]</c> (NaN included).</exception>
    public required double Rate
    {
        get => rate;
        init => rate = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Rate), value, $"Rate must lie in [0, 1]; got {value}.");
    }

    /// <summary>Gets the label poisoned samples receive; at least 0 and below the dataset's class count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public required int TargetClass
    {
        get => targetClass;
        init => targetClass = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TargetClass), value, $"TargetClass must be >= 0; got {value}.");
    }

    /// <summary>Gets the seed of the sample selection; the same seed, dataset and options select the same samples.</summary>
    public int Seed { get; init; }

    /// <summary>Gets which label poisoned samples take: the target class (default) or, all-to-all, the next class.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Poisoning.LabelMode"/>.</exception>
    public LabelMode LabelMode
    {
        get;
        init => field = LabelModes.Defined(value, nameof(LabelMode));
    }

    /// <summary>
    /// Gets which samples may be chosen: all (default, as the published code) or only those whose poisoned label differs
    /// from their clean one (for all-to-one: the non-target classes; all-to-all changes every label).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PoisonSourceClasses"/>.</exception>
    public PoisonSourceClasses Source
    {
        get => source;
        init => source = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(Source), value, $"Source must be one of: {string.Join(", ", Enum.GetNames<PoisonSourceClasses>())}; got {value}.");
    }
}
