using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;
using static BackdoorKit.Experiments.ExperimentMatrixLimits;

namespace BackdoorKit.Experiments;

/// <summary>
/// Checks an <see cref="ExperimentMatrix"/> against the catalogs (datasets, models, freeze strategies, protocols, trigger
/// positions and colors), the ranges of its numbers and the bounds of <see cref="ExperimentMatrixLimits"/> (the expanded
/// size is counted, not expanded), so that a bad matrix fails before anything runs, with a one-line message that names
/// the offending entry by its JSON path. docs/reproducing-the-paper.md lists the rules.
/// </summary>
/// <param name="catalog">Where the matrix's names resolve.</param>
internal sealed class ExperimentMatrixValidator(ComponentCatalog catalog)
{
    private static readonly string[] Positions =
        [.. Enum.GetValues<TriggerPosition>().Where(p => p != TriggerPosition.Custom).Select(TriggerPositions.ToName)];

    private static readonly string[] ColorForms = ["black", "white", "green", "#RRGGBB"];

    /// <summary>Checks every entry of <paramref name="matrix"/>; throws on the first one that cannot run.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <exception cref="ExperimentMatrixException">An entry is invalid; the message names it and its value.</exception>
    public void Validate(ExperimentMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Int128 experiments = ValidateBlock(matrix, depth: 0);
        if (experiments > MaxExperiments)
        {
            throw new ExperimentMatrixException(
                "$",
                $"$ expands to {MatrixText.Count(experiments)} experiments (include blocks and the freeze study counted, before shared ones merge), more than the limit of {MatrixText.Count(MaxExperiments)}; shorten factor lists or lower repetitions");
        }
    }

    /// <summary>Checks one block and the blocks it includes; returns how many experiments they expand to, shared ones counted twice.</summary>
    private Int128 ValidateBlock(ExperimentMatrix matrix, int depth)
    {
        Require("name", matrix.Name, IsSafeName(matrix.Name), $"is not a safe name: use 1 to {MaxNameLength} letters, digits, '-', '_' and '.', starting with a letter or digit (it names folders and goes into scripts)");
        Require("block", matrix.Block, matrix.Block is null || IsSafeName(matrix.Block), $"is not a safe block label: use 1 to {MaxNameLength} letters, digits, '-', '_' and '.', starting with a letter or digit, or null for the main grid");
        Lookup("protocol", matrix.Protocol, catalog.Protocols);
        var families = new List<(string Entry, ITriggerFactory Family)>();
        Each("triggerFamilies", matrix.TriggerFamilies, (item, name) =>
        {
            families.Add((item, Lookup(item, name, catalog.Triggers)));
            return families[^1].Family.Name;
        });
        var poisoners = new List<(string Entry, IPoisoner Poisoner)>();
        Each("poisoners", matrix.Poisoners, (item, name) =>
        {
            poisoners.Add((item, Lookup(item, name, catalog.Poisoners)));
            return poisoners[^1].Poisoner.Name;
        });
        Each("labelModes", matrix.LabelModes, (item, mode) =>
        {
            string name = LabelModes.ToName(mode);
            Require(item, name, Enum.IsDefined(mode), $"is not a label mode (known: {string.Join(", ", LabelModes.Names)})");
            if (poisoners.FirstOrDefault(p => !p.Poisoner.Supports(mode)) is ({ } entry, { } poisoner))
            {
                throw new ExperimentMatrixException(item, $"{item} '{name}' is not supported by {entry} '{poisoner.Name}'; give that poisoner its own block");
            }

            return name;
        });

        if (matrix.Defenses is null || (depth > 0 && matrix.Defenses.Count > 0))
        {
            throw new ExperimentMatrixException("defenses", matrix.Defenses is null ? "defenses is null; give a list (empty for none)" : "defenses is set on an include block; set the study's defenses on the top-level matrix");
        }

        if (matrix.Defenses.Count > 0)
        {
            Each("defenses", matrix.Defenses, (item, name) => Lookup(item, name, catalog.Defenses).Name);
        }

        Require("weights", matrix.Weights, matrix.Weights is "pretrained" or "random", "is neither 'pretrained' nor 'random'");
        Require("targetClass", matrix.TargetClass, matrix.TargetClass >= 0, "is negative");
        Repetitions("repetitions", matrix.Repetitions);
        if (matrix.Training is null)
        {
            throw new ExperimentMatrixException("training", "training is missing; give the training options or leave the entry out");
        }

        var datasets = new List<(string Entry, DatasetDescriptor Dataset)>();
        var usingMatrixColors = new List<(string Entry, DatasetDescriptor Dataset)>();
        Each("datasets", matrix.Datasets, (item, entry) =>
        {
            DatasetDescriptor dataset = Dataset($"{item}.name", entry.Name);
            Require($"{item}.inputSize", entry.InputSize, entry.InputSize is null or (>= 8 and <= 1024), "is not in [8, 1024] px (null means the dataset's default)");
            dataset = entry.InputSize is int size ? dataset with { InputSize = size } : dataset;
            SampleLimit($"{item}.trainLimit", entry.TrainLimit);
            SampleLimit($"{item}.testLimit", entry.TestLimit);
            if (entry.Colors is null)
            {
                usingMatrixColors.Add((item, dataset));
            }
            else
            {
                Colors($"{item}.colors", entry.Colors, [(item, dataset)], matrix.ColoredTriggersOnGrayDatasets);
            }

            datasets.Add((item, dataset));
            return dataset.Name;
        });
        Colors("colors", matrix.Colors, usingMatrixColors, matrix.ColoredTriggersOnGrayDatasets);

        int? frozen = null, trainedStages = null;
        if (matrix.FreezeStrategy is { } strategy)
        {
            string name = Lookup("freezeStrategy", strategy, catalog.FreezeStrategies).Name;
            frozen = KnownFreezeStrategies.TryParseFreezeFirst(name, out int count) ? count
                : KnownFreezeStrategies.TryParseFreezeIndex(name, out int index) ? index + 1 : null;
            trainedStages = KnownFreezeStrategies.TryParseTrainLastStages(name, out int stages) ? stages : null;
        }

        Each("models", matrix.Models, (item, name) =>
        {
            IModelFactory model = Model(item, name, datasets);
            if (frozen >= model.ParameterTensorCount)
            {
                throw new ExperimentMatrixException(
                    "freezeStrategy",
                    $"freezeStrategy '{matrix.FreezeStrategy}' freezes {frozen} parameter tensors, but {item} '{model.Name}' has {model.ParameterTensorCount}: nothing would train");
            }

            if (trainedStages is int k && KnownFreezeStrategies.CheckTrainLastStages(model, k) is { } problem)
            {
                throw new ExperimentMatrixException("freezeStrategy", $"freezeStrategy '{matrix.FreezeStrategy}' does not fit {item}: {problem}");
            }

            return model.Name;
        });
        Sizes("triggerSizes", matrix.TriggerSizes);
        Each("positions", matrix.Positions, Position);
        CheckPoisonersAcceptFamilies(matrix, families, poisoners);
        Rates("poisoningRates", matrix.PoisoningRates);
        for (int i = 0; i < datasets.Count; i++)
        {
            PoisonsSamples("poisoningRates", matrix.PoisoningRates, datasets[i].Entry, datasets[i].Dataset, matrix.Datasets[i].TrainLimit);
        }

        ValidateTrainingOverrides(matrix);
        Int128 experiments = ExperimentMatrixSize.Count(matrix);
        if (matrix.FreezeStudy is { } study)
        {
            ValidateFreezeStudy(study, matrix.Datasets, matrix.ColoredTriggersOnGrayDatasets);
            experiments += ExperimentMatrixSize.Count(study, matrix);
        }

        IReadOnlyList<ExperimentMatrix>? include = matrix.Include;
        if (include is { Count: > 0 } && depth >= MaxIncludeDepth)
        {
            throw new ExperimentMatrixException("include", $"include nests deeper than the limit of {MaxIncludeDepth} blocks");
        }

        if (include?.Count > MaxListLength)
        {
            throw new ExperimentMatrixException("include", $"include has {MatrixText.Count(include.Count)} blocks, more than the limit of {MatrixText.Count(MaxListLength)}");
        }

        for (int i = 0; i < (include?.Count ?? 0); i++)
        {
            ExperimentMatrix block = include![i] ?? throw new ExperimentMatrixException($"include[{i}]", $"include[{i}] is null");
            try
            {
                experiments += ValidateBlock(block, depth + 1);
            }
            catch (ExperimentMatrixException e)
            {
                throw new ExperimentMatrixException($"include[{i}].{e.Entry}", $"include[{i}].{e.Message}");
            }
        }

        return experiments;
    }

    /// <summary>
    /// Builds one trigger of each family (the block's first size, position and color), rejects two families that draw the
    /// same trigger (<c>sig</c> and <c>sig-6</c>), and asks each poisoner whether it accepts each trigger.
    /// </summary>
    private void CheckPoisonersAcceptFamilies(
        ExperimentMatrix matrix, List<(string Entry, ITriggerFactory Family)> families, List<(string Entry, IPoisoner Poisoner)> poisoners)
    {
        StudyProtocol protocol = catalog.Protocols.Get(matrix.Protocol);
        string? color = (matrix.Datasets.FirstOrDefault()?.Colors ?? matrix.Colors).FirstOrDefault();
        var drawn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string familyEntry, ITriggerFactory family) in families)
        {
            ITrigger trigger;
            try
            {
                trigger = family.Create(
                    new TriggerSpec(matrix.TriggerSizes[0], family.UsesPosition ? matrix.Positions[0] : TriggerSpec.NotUsed, family.UsesColor ? color ?? "#FFFFFF" : TriggerSpec.NotUsed),
                    protocol);
            }
            catch (ArgumentException)
            {
                continue; // a spec the family rejects fails its experiments with the family's own message
            }

            if (!drawn.TryAdd(trigger.Description, familyEntry))
            {
                throw new ExperimentMatrixException(
                    familyEntry, $"{familyEntry} '{family.Name}' draws the same trigger as {drawn[trigger.Description]} ({trigger.Description}); list it once");
            }

            if (poisoners.FirstOrDefault(p => !p.Poisoner.Accepts(trigger)) is ({ } entry, { } poisoner))
            {
                throw new ExperimentMatrixException(
                    entry, $"{entry} '{poisoner.Name}' cannot poison with {familyEntry} '{family.Name}' ({trigger.Description}); give them separate blocks");
            }
        }
    }

    private void ValidateFreezeStudy(FreezeStudy study, IReadOnlyList<DatasetEntry> entries, bool coloredOnGray)
    {
        var datasets = new List<(string Entry, DatasetDescriptor Dataset)>();
        Each("freezeStudy.datasets", study.Datasets, (item, name) =>
        {
            datasets.Add((item, Dataset(item, name)));
            return datasets[^1].Dataset.Name;
        });
        IModelFactory model = Model("freezeStudy.model", study.Model, datasets);
        Each("freezeStudy.freezeIndices", study.FreezeIndices, (item, j) => Require(
            item, j, j >= 0 && j < model.ParameterTensorCount, $"is not in [0, {model.ParameterTensorCount - 1}] ({model.Name} has {model.ParameterTensorCount} parameter tensors)"));
        Sizes("freezeStudy.triggerSizes", study.TriggerSizes);
        Rates("freezeStudy.poisoningRates", study.PoisoningRates);
        Position("freezeStudy.position", study.Position);
        Color("freezeStudy.color", study.Color, datasets, coloredOnGray);
        Repetitions("freezeStudy.repetitions", study.Repetitions);
        for (int i = 0; i < datasets.Count; i++)
        {
            // The freeze study runs a dataset with the matrix's entry of the same name, if any (its trainLimit).
            int? trainLimit = entries.FirstOrDefault(d => d.Name == study.Datasets[i])?.TrainLimit;
            PoisonsSamples("freezeStudy.poisoningRates", study.PoisoningRates, datasets[i].Entry, datasets[i].Dataset, trainLimit);
        }
    }

    private static void Repetitions(string item, int repetitions) => Require(
        item, repetitions, repetitions is >= 1 and <= MaxRepetitions, $"is not in [1, {MaxRepetitions}] (the limit)");

    private static void SampleLimit(string item, int? limit) => Require(
        item, limit, limit is null or (> 0 and <= MaxSampleLimit), $"is not a positive count up to the limit of {MatrixText.Count(MaxSampleLimit)} (null means all)");

    /// <summary>Checks that every rate poisons at least one training sample (floor(rate x samples) >= 1) where the set's size is known.</summary>
    private static void PoisonsSamples(string entry, IReadOnlyList<double> rates, string datasetEntry, DatasetDescriptor dataset, int? trainLimit)
    {
        if (dataset.TrainSamples(trainLimit) is not int samples)
        {
            return;
        }

        for (int j = 0; j < rates.Count; j++)
        {
            if (DirtyLabelPoisoner.PoisonedCount(rates[j], samples) < 1)
            {
                string size = trainLimit == samples
                    ? $"{MatrixText.Count(samples)} training samples with trainLimit {trainLimit}"
                    : $"{MatrixText.Count(samples)} training samples, its official training split";
                throw new ExperimentMatrixException(
                    $"{entry}[{j}]",
                    $"{entry}[{j}] {MatrixText.Value(rates[j])} poisons no sample of {datasetEntry} '{dataset.Name}' ({size}; floor(rate x samples) = 0): the smallest rate that poisons one is {MatrixText.Value(DirtyLabelPoisoner.SmallestPoisoningRate(samples))}");
            }
        }
    }

    private static void ValidateTrainingOverrides(ExperimentMatrix matrix)
    {
        if (matrix.TrainingOverrides is null || matrix.TrainingOverrides.Count == 0)
        {
            return;
        }

        var cells = matrix.Datasets.SelectMany(d => matrix.Models.Select(m => (d.Name, m))).ToList();
        if (matrix.FreezeStudy is { } study)
        {
            cells.AddRange(study.Datasets.Select(d => (d, study.Model)));
        }

        Each("trainingOverrides", matrix.TrainingOverrides, (item, cell) =>
        {
            if (cell.Training is null)
            {
                throw new ExperimentMatrixException($"{item}.training", $"{item}.training is missing");
            }

            string key = $"{cell.Dataset} x {cell.Model}";
            return cells.Contains((cell.Dataset, cell.Model))
                ? key
                : throw new ExperimentMatrixException(
                    item, $"{item} names the cell {key}, which the matrix does not run (datasets x models, and the freeze study's)");
        });
    }

    private DatasetDescriptor Dataset(string item, string? name) => Lookup(item, name, catalog.Datasets);

    private IModelFactory Model(string item, string? name, IEnumerable<(string Entry, DatasetDescriptor Dataset)> datasets)
    {
        IModelFactory model = Lookup(item, name, catalog.Models);
        if (datasets.FirstOrDefault(d => model.RejectInputSize(d.Dataset.InputSize) is not null) is ({ } entry, { } dataset))
        {
            throw new ExperimentMatrixException(
                item,
                $"{item} '{model.Name}' {model.RejectInputSize(dataset.InputSize)}, but {entry} '{dataset.Name}' is fed at {dataset.InputSize} px");
        }

        return model;
    }

    private static void Sizes(string entry, IReadOnlyList<double>? sizes) => Each(entry, sizes, (item, size) => Require(
        item, size, size is > 0 and <= 1, "is not in (0, 1]: a trigger side is a fraction of the image side, and a larger trigger does not fit the image"));

    private static void Rates(string entry, IReadOnlyList<double>? rates) => Each(entry, rates, (item, rate) => Require(
        item, rate, rate is > 0 and <= 1, "is not in (0, 1]: a backdoored model needs poisoned samples (clean models come from cleanBaselines)"));

    private static string Position(string item, string? name)
    {
        TriggerPosition position = Lookup(item, name, "trigger position", Positions, TriggerPositions.Parse);
        return position != TriggerPosition.Custom
            ? TriggerPositions.ToName(position)
            : throw new ExperimentMatrixException(
                item, $"{item} '{name}' needs a pixel offset, which a matrix cannot give (known: {string.Join(", ", Positions)})");
    }

    private static void Colors(string entry, IReadOnlyList<string>? colors, IReadOnlyList<(string Entry, DatasetDescriptor Dataset)> datasets, bool coloredOnGray) =>
        Each(entry, colors, (item, text) => Color(item, text, datasets, coloredOnGray));

    private static string Color(string item, string? text, IEnumerable<(string Entry, DatasetDescriptor Dataset)> datasets, bool coloredOnGray)
    {
        TriggerColor color = Lookup(item, text, "trigger color", ColorForms, TriggerColor.Parse);
        bool colored = color.R != color.G || color.G != color.B;
        if (colored && !coloredOnGray && datasets.FirstOrDefault(d => d.Dataset.SourceChannels == 1) is ({ } entry, { } dataset))
        {
            throw new ExperimentMatrixException(
                item,
                $"{item} '{text}' is a colored trigger, but {entry} '{dataset.Name}' is gray and coloredTriggersOnGrayDatasets is false (the paper ran no green on MNIST); give that dataset its own gray colors");
        }

        return color.ToString();
    }

    /// <summary>Checks that a factor list has entries, none null or repeated; <paramref name="check"/> validates one and returns its canonical text.</summary>
    private static void Each<T>(string entry, IReadOnlyList<T>? values, Func<string, T, string> check)
    {
        if (values is null || values.Count == 0)
        {
            throw new ExperimentMatrixException(entry, $"{entry} is empty; give at least one value");
        }

        if (values.Count > MaxListLength)
        {
            throw new ExperimentMatrixException(entry, $"{entry} has {MatrixText.Count(values.Count)} entries, more than the limit of {MatrixText.Count(MaxListLength)}");
        }

        var seen = new List<string>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            string item = $"{entry}[{i}]";
            string key = values[i] is { } value ? check(item, value) : throw new ExperimentMatrixException(item, $"{item} is null");
            int first = seen.FindIndex(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (first >= 0)
            {
                throw new ExperimentMatrixException(item, $"{item} '{key}' repeats {entry}[{first}]");
            }

            seen.Add(key);
        }
    }

    private static T Lookup<T>(string item, string? value, ComponentSet<T> known)
        where T : class =>
        value is not null && known.TryGet(value, out T? component)
            ? component
            : throw new ExperimentMatrixException(item, $"{item} {MatrixText.Value(value)} is not a known {known.Kind} (known: {string.Join(", ", known.Names)})");

    private static T Lookup<T>(string item, string? value, string kind, IEnumerable<string> known, Func<string, T> find)
    {
        if (value is not null)
        {
            try
            {
                return find(value);
            }
            catch (ArgumentException)
            {
                // Reported below, naming the entry.
            }
        }

        throw new ExperimentMatrixException(item, $"{item} {MatrixText.Value(value)} is not a known {kind} (known: {string.Join(", ", known)})");
    }

    private static string Require<T>(string item, T value, bool valid, string problem) =>
        valid ? MatrixText.Value(value) : throw new ExperimentMatrixException(item, $"{item} {MatrixText.Value(value)} {problem}");
}
