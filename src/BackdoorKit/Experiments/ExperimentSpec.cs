using System.Text.Json.Serialization;
using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Protocols;
using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>
/// Everything that defines one experiment, immutable and JSON-serialisable; its <see cref="Id"/> is a hash of its
/// canonical JSON, so a sweep can tell which experiments are done. Where it runs (device, threads, data folders) is not
/// part of it. Build grids with <c>with</c> expressions.
/// </summary>
/// <remarks>
/// A spec names its components (dataset, model, freeze strategy, protocol, trigger family, poisoner) instead of holding
/// them: the names are its identity, hashed into the id and stored with every result, so stored studies stay readable
/// without the code of their components. <see cref="For"/> builds a spec from component objects; a
/// <see cref="ComponentCatalog"/> turns the names back into components where experiments are validated, estimated and
/// run (docs/extending.md).
/// </remarks>
public sealed record ExperimentSpec
{
    /// <summary>Creates a spec from component objects (their names go into the spec); vary the rest with <c>with</c>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="model">The model architecture.</param>
    /// <param name="freezeStrategy">What trains.</param>
    /// <param name="protocol">The study's conventions; <see cref="KnownProtocols.PaperText"/> when null.</param>
    /// <returns>A clean spec (no trigger, rate 0) with pretrained weights, seed 0 and default training options.</returns>
    /// <example><c>ExperimentSpec.For(KnownDatasets.Mnist, KnownModels.SmallCnn, KnownFreezeStrategies.Full) with { Weights = "random" }</c></example>
    public static ExperimentSpec For(DatasetDescriptor dataset, IModelFactory model, IFreezeStrategy freezeStrategy, StudyProtocol? protocol = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(freezeStrategy);
        return new ExperimentSpec
        {
            Dataset = dataset.Name,
            Model = model.Name,
            FreezeStrategy = freezeStrategy.Name,
            Protocol = (protocol ?? KnownProtocols.PaperText).Name,
        };
    }

    /// <summary>Gets the dataset name (<c>mnist</c>, <c>cifar10</c>, <c>tinyimagenet</c>, <c>folder</c>, or one added to the <see cref="ComponentCatalog"/>).</summary>
    public required string Dataset { get; init; }

    /// <summary>Gets the model name, resolved through the <see cref="ComponentCatalog"/> (e.g. <c>resnet152</c>, <c>small-cnn</c>).</summary>
    public required string Model { get; init; }

    /// <summary>Gets the freeze strategy name, resolved through the <see cref="ComponentCatalog"/> (e.g. <c>paper-text</c>, <c>freeze-first-7</c>).</summary>
    public required string FreezeStrategy { get; init; }

    /// <summary>Gets the protocol name (<c>paper-text</c>, <c>seed-code</c>, or one added to the <see cref="ComponentCatalog"/>).</summary>
    public required string Protocol { get; init; }

    /// <summary>Gets the trigger, or <see langword="null"/> for a clean baseline that is not tested against a trigger.</summary>
    public TriggerSpec? Trigger { get; init; }

    /// <summary>Gets the poisoning rate eps in [0, 1]; 0 trains a clean model.</summary>
    public double PoisoningRate
    {
        get;
        init => field = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PoisoningRate), value, $"PoisoningRate must be in [0, 1]; got {value}.");
    }

    /// <summary>Gets the backdoor's target class.</summary>
    public int TargetClass
    {
        get;
        init => field = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TargetClass), value, $"TargetClass must be >= 0; got {value}.");
    }

    /// <summary>Gets the repetition number (0-based); repetitions differ only in <see cref="Seed"/>.</summary>
    public int Repetition { get; init; }

    /// <summary>Gets the seed for the head's initialisation, poisoned-sample selection and batch order.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the training hyperparameters.</summary>
    public TrainingOptions Training { get; init; } = TrainingOptions.Default;

    /// <summary>Gets where the backbone's weights come from: <c>pretrained</c> (ImageNet files) or <c>random</c>.</summary>
    public string Weights
    {
        get;
        init => field = value is "pretrained" or "random"
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Weights), value, $"Weights must be 'pretrained' or 'random'; got '{value}'.");
    } = "pretrained";

    /// <summary>Gets the number of training samples used (the first ones of the split), or null for all.</summary>
    public int? TrainLimit
    {
        get;
        init => field = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TrainLimit), value, $"TrainLimit must be null or > 0; got {value}.");
    }

    /// <summary>Gets the number of test samples used (the first ones of the split), or null for all.</summary>
    public int? TestLimit
    {
        get;
        init => field = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TestLimit), value, $"TestLimit must be null or > 0; got {value}.");
    }

    /// <summary>
    /// Gets the side of the square model input in pixels, or null for the dataset's default (MNIST 64, CIFAR-10 128,
    /// TinyImageNet 224). Smaller inputs make quick CPU studies affordable; the trigger's pixel size follows it.
    /// </summary>
    public int? InputSize
    {
        get;
        init => field = value is null or (>= 8 and <= 1024)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(InputSize), value, $"InputSize must be null or in [8, 1024]; got {value}.");
    }

    /// <summary>
    /// Gets the study block the experiment belongs to, or null for the main grid. Reports analyse the main grid (heat
    /// maps, importance, Findings 2-6) without the blocks, and each block by what it varies: the <c>quick</c> preset's
    /// <c>freeze-depth</c> and <c>from-scratch</c> blocks feed the freeze-depth figure and Finding 1. Part of the id only
    /// when set, so main-grid ids do not change. 1-64 letters, digits, '-', '_' and '.', starting with a letter or digit.
    /// </summary>
    public string? Block
    {
        get;
        init => field = ExperimentMatrixLimits.NullOrSafeName(value, nameof(Block));
    }

    /// <summary>
    /// Gets the poisoner (<see cref="Poisoning.IPoisoner.Name"/>) that poisons the training set, or null for the paper's
    /// dirty-label poisoner (<see cref="Poisoning.KnownPoisoners.DirtyLabel"/>). Part of the id only when set, so
    /// dirty-label experiments keep their ids. Same naming rules as <see cref="Block"/>.
    /// </summary>
    public string? Poisoner
    {
        get;
        init => field = ExperimentMatrixLimits.NullOrSafeName(value, nameof(Poisoner));
    }

    /// <summary>
    /// Gets which label poisoned samples take, and so what ASR counts: the target class (<see cref="Poisoning.LabelMode.AllToOne"/>,
    /// the default) or the next class (<see cref="Poisoning.LabelMode.AllToAll"/>). Part of the id only when not the default,
    /// so all-to-one experiments keep their ids.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Poisoning.LabelMode"/>.</exception>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Poisoning.LabelMode LabelMode
    {
        get;
        init => field = Poisoning.LabelModes.Defined(value, nameof(LabelMode));
    }

    /// <summary>Gets a value indicating whether this is a clean baseline (no poisoned training samples).</summary>
    [JsonIgnore]
    public bool IsClean => PoisoningRate == 0;

    /// <summary>Gets the stable experiment id: the first 16 hex digits of the SHA-256 of the canonical JSON.</summary>
    [JsonIgnore]
    public string Id => ExperimentIds.Compute(this);
}
