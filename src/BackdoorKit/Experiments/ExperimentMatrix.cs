using System.Text.Json;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>
/// A study as factor lists, expanded into experiments by <see cref="Expand"/>. Loads from and saves to JSON; the
/// presets in <see cref="KnownMatrices"/> are starting points for <c>with</c> expressions.
/// </summary>
public sealed record ExperimentMatrix
{
    /// <summary>Gets the matrix's name.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Gets the protocol name.</summary>
    public string Protocol { get; init; } = "paper-text";

    /// <summary>Gets the datasets.</summary>
    public IReadOnlyList<DatasetEntry> Datasets { get; init; } = [];

    /// <summary>Gets the model names.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Gets the freeze strategy, or null for the protocol's.</summary>
    public string? FreezeStrategy { get; init; }

    /// <summary>
    /// Gets the trigger families (<see cref="ITriggerFactory.Name"/>) swept as a factor; <c>["patch"]</c>, the paper's
    /// square patch, by default. Sizes, positions and colors mean what each family documents; a family that ignores
    /// positions or colors (<see cref="ITriggerFactory.UsesPosition"/>, <see cref="ITriggerFactory.UsesColor"/>) gets
    /// <see cref="TriggerSpec.NotUsed"/> for them, once, so it runs no duplicate experiments.
    /// </summary>
    public IReadOnlyList<string> TriggerFamilies { get; init; } = ["patch"];

    /// <summary>
    /// Gets the poisoners (<see cref="Poisoning.IPoisoner.Name"/>) swept as a factor; <c>["dirty-label"]</c>, the
    /// paper's attack, by default.
    /// </summary>
    public IReadOnlyList<string> Poisoners { get; init; } = ["dirty-label"];

    /// <summary>
    /// Gets the label modes swept as a factor: <c>allToOne</c> (the paper's, the default) and <c>allToAll</c> (label
    /// i becomes i + 1). Every poisoner must support every mode listed (<see cref="Poisoning.IPoisoner.Supports"/>).
    /// </summary>
    public IReadOnlyList<LabelMode> LabelModes { get; init; } = [LabelMode.AllToOne];

    /// <summary>
    /// Gets the defenses (<see cref="Defenses.IDefense.Name"/>) run on every trained model of the study, their numbers
    /// stored with each result (docs/defenses.md); empty by default. Set on the top-level matrix only. Not part of any
    /// experiment's id: adding a defense later does not rerun finished experiments.
    /// </summary>
    public IReadOnlyList<string> Defenses { get; init; } = [];

    /// <summary>Gets the trigger sizes (fractions of the image side).</summary>
    public IReadOnlyList<double> TriggerSizes { get; init; } = [0.04, 0.06, 0.08];

    /// <summary>Gets the trigger positions.</summary>
    public IReadOnlyList<string> Positions { get; init; } = ["top-left", "top-right", "middle", "bottom-left", "bottom-right"];

    /// <summary>Gets the trigger colors (<c>#RRGGBB</c> or black, white, green), unless a dataset entry overrides them.</summary>
    public IReadOnlyList<string> Colors { get; init; } = ["#000000", "#FFFFFF", "#66B35C"];

    /// <summary>Gets the poisoning rates.</summary>
    public IReadOnlyList<double> PoisoningRates { get; init; } = [0.005, 0.01, 0.015, 0.02];

    /// <summary>Gets the repetitions per cell; repetition r uses seed <see cref="BaseSeed"/> + r.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Gets a value indicating whether clean (eps = 0) baselines are added per dataset x model x repetition.</summary>
    public bool CleanBaselines { get; init; } = true;

    /// <summary>Gets the AlexNet freeze-index study, or null to leave it out.</summary>
    public FreezeStudy? FreezeStudy { get; init; }

    /// <summary>Gets the training options, unless a dataset entry or a training override replaces them.</summary>
    public TrainingOptions Training { get; init; } = TrainingOptions.Default;

    /// <summary>
    /// Gets training options for single dataset x model cells; they win over the dataset's and the matrix's (and apply
    /// to the freeze study's cells too).
    /// </summary>
    public IReadOnlyList<TrainingOverride> TrainingOverrides { get; init; } = [];

    /// <summary>Gets the backdoor's target class.</summary>
    public int TargetClass { get; init; }

    /// <summary>Gets the seed of repetition 0.</summary>
    public int BaseSeed { get; init; }

    /// <summary>Gets where backbone weights come from: <c>pretrained</c> or <c>random</c>.</summary>
    public string Weights { get; init; } = "pretrained";

    /// <summary>Gets a value indicating whether colored (non-gray) triggers may be used on gray datasets (the paper did not run green on MNIST).</summary>
    public bool ColoredTriggersOnGrayDatasets { get; init; } = true;

    /// <summary>
    /// Gets further matrices whose experiments join this one's, for designs that cross only some factors (the
    /// <c>quick</c> preset crosses size x rate x color at one position, and position x color at one size and rate).
    /// An experiment that two blocks share (same id) runs once.
    /// </summary>
    public IReadOnlyList<ExperimentMatrix> Include { get; init; } = [];

    /// <summary>
    /// Gets the block label stamped on this matrix's own experiments (<see cref="ExperimentSpec.Block"/>), or null for
    /// the main grid. Included blocks carry their own label: the <c>quick</c> preset's <c>freeze-depth</c> and
    /// <c>from-scratch</c> blocks are included matrices with these labels, so reports keep them out of the main grid.
    /// </summary>
    public string? Block { get; init; }

    /// <summary>Reads a matrix from a JSON file (at most <see cref="ExperimentMatrixLimits.MaxFileBytes"/>) and validates it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">Where the matrix's names resolve; <see cref="ComponentCatalog.Default"/> when null.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="InvalidDataException">
    /// The file cannot be read or is not a valid matrix (broken JSON, a key no member maps, or an entry
    /// <see cref="Validate"/> rejects); the one-line message starts with the file and names the entry and the problem.
    /// </exception>
    public static ExperimentMatrix Load(string path, ComponentCatalog? catalog = null) => ExperimentMatrixReader.Read(path, catalog ?? ComponentCatalog.Default);

    /// <summary>Writes the matrix to a JSON file.</summary>
    /// <param name="path">The file.</param>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, BackdoorKitJson.Options));

    /// <summary>
    /// Checks the matrix before anything runs: names against the catalog's datasets, models, freeze strategies,
    /// protocols, trigger families and poisoners, and positions and colors against their parsers; number ranges; non-empty factor lists without repeats; model input sizes; freeze-first-k against
    /// the models' parameter tensors; and colored triggers on gray datasets when <see cref="ColoredTriggersOnGrayDatasets"/>
    /// is false; safe names, at least one poisoned training sample per rate and dataset, and the bounds of
    /// <see cref="ExperimentMatrixLimits"/> (the expanded size counted, not expanded). <see cref="Load"/> and
    /// <see cref="Expand"/> call it.
    /// </summary>
    /// <param name="catalog">Where the matrix's names resolve; <see cref="ComponentCatalog.Default"/> when null.</param>
    /// <exception cref="ExperimentMatrixException">An entry is invalid; the message names it (as its JSON path) and its value.</exception>
    public void Validate(ComponentCatalog? catalog = null) => new ExperimentMatrixValidator(catalog ?? ComponentCatalog.Default).Validate(this);

    /// <summary>Validates the matrix (see <see cref="Validate"/>), then expands its factor lists into experiments in a fixed order.</summary>
    /// <param name="catalog">Where the matrix's names resolve; <see cref="ComponentCatalog.Default"/> when null.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ExperimentMatrixException">An entry is invalid.</exception>
    public ExperimentPlan Expand(ComponentCatalog? catalog = null)
    {
        catalog ??= ComponentCatalog.Default;
        Validate(catalog);
        var backdoored = new List<ExperimentSpec>();
        var clean = new List<ExperimentSpec>();
        foreach (DatasetEntry dataset in Datasets)
        {
            foreach (string model in Models)
            {
                ExperimentSpec cell = BaseSpec(dataset, model, FreezeStrategy ?? catalog.Protocols.Get(Protocol).FreezeStrategy);
                foreach ((ITriggerFactory family, ExperimentSpec attack) in Attacks(cell, catalog))
                {
                    foreach (double size in TriggerSizes)
                    {
                        foreach (string position in family.UsesPosition ? Positions : [TriggerSpec.NotUsed])
                        {
                            IReadOnlyList<string> colors = dataset.Colors ?? Colors;
                            foreach (string color in family.UsesColor ? colors : [TriggerSpec.NotUsed])
                            {
                                foreach (double rate in PoisoningRates)
                                {
                                    backdoored.AddRange(Repeat(
                                        attack with { Trigger = TriggerOf(family, size, position, color), PoisoningRate = rate },
                                        Repetitions));
                                }
                            }
                        }
                    }
                }

                if (CleanBaselines)
                {
                    clean.AddRange(Repeat(cell, Repetitions));
                }
            }
        }

        List<ExperimentSpec> freezeStudy = ExpandFreezeStudy(catalog);
        foreach (ExperimentPlan included in Include.Select(m => m.Expand(catalog)))
        {
            backdoored.AddRange(included.Backdoored);
            clean.AddRange(included.Clean);
            freezeStudy.AddRange(included.FreezeStudy);
        }

        return new ExperimentPlan(
            [.. backdoored.DistinctBy(s => s.Id)], [.. clean.DistinctBy(s => s.Id)], [.. freezeStudy.DistinctBy(s => s.Id)]);
    }

    private List<ExperimentSpec> ExpandFreezeStudy(ComponentCatalog catalog)
    {
        var specs = new List<ExperimentSpec>();
        if (FreezeStudy is not { } study)
        {
            return specs;
        }

        foreach (string name in study.Datasets)
        {
            DatasetEntry dataset = Datasets.FirstOrDefault(d => d.Name == name) ?? new DatasetEntry { Name = name };
            foreach (int index in study.FreezeIndices)
            {
                ExperimentSpec cell = BaseSpec(dataset, study.Model, KnownFreezeStrategies.FreezeIndex(index).Name);
                foreach (double size in study.TriggerSizes)
                {
                    foreach (double rate in study.PoisoningRates)
                    {
                        foreach ((ITriggerFactory family, ExperimentSpec attack) in Attacks(cell, catalog))
                        {
                            specs.AddRange(Repeat(
                                attack with
                                {
                                    Trigger = TriggerOf(family, size, family.UsesPosition ? study.Position : TriggerSpec.NotUsed, family.UsesColor ? study.Color : TriggerSpec.NotUsed),
                                    PoisoningRate = rate,
                                },
                                study.Repetitions));
                        }
                    }
                }
            }
        }

        return specs;
    }

    private ExperimentSpec BaseSpec(DatasetEntry dataset, string model, string freezeStrategy) => new()
    {
        Dataset = dataset.Name,
        Model = model,
        Block = Block,
        FreezeStrategy = freezeStrategy,
        Protocol = Protocol,
        TargetClass = TargetClass,
        Training = TrainingOverrides.FirstOrDefault(o => o.Dataset == dataset.Name && o.Model == model)?.Training ?? dataset.Training ?? Training,
        Weights = Weights,
        TrainLimit = dataset.TrainLimit,
        TestLimit = dataset.TestLimit,
        InputSize = dataset.InputSize,
    };

    /// <summary>
    /// The cell once per trigger family, poisoner and label mode (the trigger is set by the caller); the shipped defaults
    /// (dirty-label, all-to-one) stay unset in the spec so their ids are the paper grid's.
    /// </summary>
    private IEnumerable<(ITriggerFactory Family, ExperimentSpec Cell)> Attacks(ExperimentSpec cell, ComponentCatalog catalog) =>
        from family in TriggerFamilies.Select(catalog.Triggers.Get)
        from poisoner in Poisoners.Select(catalog.Poisoners.Get)
        from mode in LabelModes
        select (family, cell with
        {
            Poisoner = ReferenceEquals(poisoner, Poisoning.KnownPoisoners.DirtyLabel) ? null : poisoner.Name,
            LabelMode = mode,
        });

    /// <summary>A trigger spec of a family; the patch stays unnamed so its ids are the paper grid's.</summary>
    private static TriggerSpec TriggerOf(ITriggerFactory family, double size, string position, string color) =>
        new(size, position, color) { Family = ReferenceEquals(family, KnownTriggerFactories.Patch) ? null : family.Name };

    private IEnumerable<ExperimentSpec> Repeat(ExperimentSpec spec, int repetitions) =>
        Enumerable.Range(0, repetitions).Select(r => spec with { Repetition = r, Seed = BaseSeed + r });
}
