using System.Diagnostics;
using BackdoorKit.Data;
using BackdoorKit.Features;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Runtime;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace BackdoorKit.Experiments;

/// <summary>
/// Runs one experiment from its spec: reads the dataset (once per runner), poisons the training set, builds and freezes
/// the model, trains it, and measures clean accuracy and both attack success rates in one pass over the clean and the
/// fully triggered test set. Every native object an experiment creates is disposed before <see cref="Run"/> returns;
/// <see cref="Train"/> stops after training and hands the model over.
/// </summary>
/// <remarks>
/// On the CPU, the same spec and thread count give bit-identical results when experiments run one at a time: the head's
/// initialisation is seeded from <see cref="ExperimentSpec.Seed"/> under a lock, and the poisoned-sample selection, batch
/// order and augmentation use their own seeded generators. Experiments run in parallel still use LibTorch's global
/// generator for dropout, so they are reproducible in distribution but not in bits. Dispose the runner to free the
/// cached datasets.
/// </remarks>
public sealed partial class ExperimentRunner : IExperimentRunner, IDisposable
{
    // Stands in for the trigger of a clean experiment's training set, which has no poisoned row to draw it on.

    private readonly DatasetCache datasets;
    private readonly FeatureCache featureCache;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="ExperimentRunner"/> class.</summary>
    /// <param name="options">Data and weights locations and the compute settings; defaults when null.</param>
    /// <param name="loggerFactory">Creates the loggers of the runner, the model factory and the trainer.</param>
    public ExperimentRunner(ExperimentRunnerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new ExperimentRunnerOptions();
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        logger = this.loggerFactory.CreateLogger<ExperimentRunner>();
        featureCache = new FeatureCache(Options.FeatureCache);
        datasets = new DatasetCache(Options.DataPathFor, logger);
    }

    /// <summary>Gets the options.</summary>
    public ExperimentRunnerOptions Options { get; }

    /// <summary>
    /// Gets the cache of frozen-prefix outputs shared by this runner's experiments (<see cref="ExperimentRunnerOptions.FeatureCache"/>).
    /// An experiment uses it when its model has a staged forward pass and its freeze strategy leaves a frozen,
    /// evaluation-mode prefix (<c>linear-probe</c>, <c>train-last-&lt;k&gt;-stages</c>); it then trains and evaluates only
    /// the rest of the network on the prefix's cached outputs, with the same batches and seeds.
    /// </summary>
    public FeatureCache FeatureCache => featureCache;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec names a component <see cref="ExperimentRunnerOptions.Catalog"/> does not know, or a position or color that does not parse.</exception>
    /// <exception cref="DirectoryNotFoundException">The dataset folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">A dataset file is missing or corrupt.</exception>
    /// <exception cref="ModelWeightsException">Pretrained weights are asked for but cannot be found or loaded.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public ExperimentResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var clock = Stopwatch.StartNew();
        NativeRuntimeInfo runtime = TorchRuntime.EnsureInitialized(logger: logger);
        using TrainedExperiment trained = Train(spec, progress, cancellationToken);
        if (Options.ModelsDirectory is { } models)
        {
            SavedModels.Save(trained, models, runtime.BackdoorKitVersion);
        }

        (StudyProtocol protocol, BackdoorModel model, ModelInputTransform transform, ImageDataset test, ITrigger? trigger) =
            (trained.Protocol, trained.Model, trained.Transform, trained.Test, trained.Trigger);
        TrainingSummary training = trained.Training;
        Device device = Options.Compute.ResolveDevice();
        using var scope = NewDisposeScope();

        var evaluationClock = Stopwatch.StartNew();
        PrefixFeatures? features = trained.PrefixFeatures;
        EvaluationOutcome outcome = new ModelEvaluator(spec.Training, Options.Compute, loggerFactory.CreateLogger<ModelTrainer>())
            .Evaluate(model, test, transform, trigger, spec.TargetClass, spec.LabelMode, features, cancellationToken);
        evaluationClock.Stop();
        var result = new ExperimentResult
        {
            ExperimentId = spec.Id,
            Spec = spec,
            Protocol = protocol,
            Seed = spec.Seed,
            CleanAccuracy = KnownMetrics.CleanAccuracy.Compute(outcome),
            AttackSuccessRate = trigger is null ? null : KnownMetrics.AttackSuccessRate.Compute(outcome),
            AttackSuccessRateIncludingTarget = trigger is null ? null : KnownMetrics.AttackSuccessRateIncludingTarget.Compute(outcome),
            Metrics = WithDefenses(ModelEvaluator.Score(outcome, Options.Metrics), trained, device, cancellationToken),
            Trigger = trained.TriggerGeometry,
            PoisonedCount = trained.PoisonedCount,
            TrainSamples = trained.TrainSamples,
            TestSamples = test.Count,
            InputSize = transform.Size,
            TrainableParameters = model.TrainableParameterCount,
            TotalParameters = model.TotalParameterCount,
            WeightsSource = model.WeightsSource,
            FinalLoss = training.FinalLoss,
            TrainSeconds = training.Duration.TotalSeconds,
            EvaluationSeconds = evaluationClock.Elapsed.TotalSeconds,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Device = device.ToString(),
            Threads = get_num_threads(),
            OneDnn = runtime.OneDnn,
            Allocator = runtime.Allocator,
            CudaDevices = runtime.CudaAvailable ? cuda.device_count() : 0,
            Tf32 = Options.Compute.AllowTf32 && device.type == TorchSharp.DeviceType.CUDA,
            FeatureCache = FeatureCacheText(features?.Status ?? trained.FeatureCache),
            BackdoorKitVersion = runtime.BackdoorKitVersion,
            TorchSharpVersion = runtime.TorchSharpVersion,
            FinishedAt = DateTimeOffset.UtcNow,
        };
        LogFinished(logger, spec.Id, result.CleanAccuracy, result.AttackSuccessRate ?? double.NaN, result.DurationSeconds);
        return result;
    }

    /// <summary>
    /// Trains the model of an experiment exactly as <see cref="Run"/> does (same data, poisoning, seeds and steps) and
    /// returns it with its transform, test set and trigger instead of measuring it, e.g. to explain it.
    /// </summary>
    /// <param name="spec">What to train.</param>
    /// <param name="progress">Receives training progress, or null.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    /// <returns>The trained experiment; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The spec names a component <see cref="ExperimentRunnerOptions.Catalog"/> does not know, or a position or color that does not parse.</exception>
    /// <exception cref="DatasetFormatException">A dataset file is missing or corrupt.</exception>
    /// <exception cref="ModelWeightsException">Pretrained weights are asked for but cannot be found or loaded.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainedExperiment Train(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Build(spec, savedModel: null, progress, cancellationToken);

    /// <summary>
    /// Trains the model of an experiment as <see cref="Train"/> does, from the same initial weights and with the same
    /// seeds, but on its training set without some rows: what a data-inspection defense does with the rows it flagged.
    /// </summary>
    /// <param name="spec">What to train.</param>
    /// <param name="withoutRows">Rows of the (poisoned) training set to leave out (<see cref="PoisonedDataset.Without"/>).</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    /// <returns>The trained experiment (its <see cref="TrainedExperiment.PoisonedIndices"/> are the full set's); the caller disposes it.</returns>
    public TrainedExperiment TrainWithout(ExperimentSpec spec, IReadOnlyCollection<int> withoutRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(withoutRows);
        return Build(spec, savedModel: null, progress: null, cancellationToken, withoutRows);
    }

    /// <summary>
    /// Rebuilds the model an experiment trained from the file <see cref="Run"/> saved (<see cref="ExperimentRunnerOptions.ModelsDirectory"/>)
    /// instead of training it: the same data, model, weights and freeze strategy as <see cref="Train"/>, then the saved
    /// tensors; the model gives the logits the trained one gave. Use it to explain or inspect a study's models later.
    /// </summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="savedModel">The file (<see cref="SavedModelPath"/>).</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The restored experiment, with the training summary the file records; the caller disposes it.</returns>
    /// <exception cref="ModelWeightsException">
    /// The file is missing or corrupt, belongs to another experiment, was trained on other weights, or does not fit the model.
    /// </exception>
    /// <exception cref="ArgumentException">The spec names a component <see cref="ExperimentRunnerOptions.Catalog"/> does not know.</exception>
    /// <exception cref="DatasetFormatException">A dataset file is missing or corrupt.</exception>
    public TrainedExperiment Restore(ExperimentSpec spec, string savedModel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(savedModel);
        return Build(spec, savedModel, null, cancellationToken, withoutRows: null);
    }

    /// <summary>Gets where <see cref="Run"/> saves an experiment's model in a models directory: <c>&lt;directory&gt;/&lt;experiment id&gt;.safetensors</c>.</summary>
    /// <param name="directory">The models directory.</param>
    /// <param name="experimentId">The experiment's id.</param>
    /// <returns>The path.</returns>
    public static string SavedModelPath(string directory, string experimentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        return Path.Combine(directory, experimentId + ".safetensors");
    }

    private TrainedExperiment Build(
        ExperimentSpec spec, string? savedModel, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, IReadOnlyCollection<int>? withoutRows = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        TorchRuntime.EnsureInitialized(logger: logger);
        (StudyProtocol protocol, DatasetDescriptor descriptor, IModelFactory architecture, IFreezeStrategy freeze, ITrigger? trigger, IPoisoner poisoner, ModelInputTransform transform) =
            ExperimentSetup.Resolve(spec, Options.Catalog);
        ModelWeights weights = ResolveWeights(spec, architecture);
        var trainer = new ModelTrainer(spec.Training, Options.Compute, loggerFactory.CreateLogger<ModelTrainer>());
        DatasetSplits splits = datasets.Get(descriptor, Options.Catalog.Datasets.Get(spec.Dataset), spec, trainer.Compute, cancellationToken);

        ImageDataset? test = null, train = null;
        BackdoorModel? model = null;
        try
        {
            using var scope = NewDisposeScope();
            train = DatasetCache.Limit(splits.Train, spec.TrainLimit);
            test = DatasetCache.Limit(splits.Test, spec.TestLimit);
            foreach (ImageDataset split in new[] { train, test })
            {
                split.Images.DetachFromDisposeScope();
                split.Labels.DetachFromDisposeScope();
            }

            using PoisonedDataset? poisoned = trigger is null || spec.IsClean
                ? null
                : poisoner.Poison(train, trigger, protocol.CreatePoisoningOptions(spec.PoisoningRate, spec.TargetClass, spec.Seed) with { LabelMode = spec.LabelMode });
            bool freshFirstConvolution = protocol.FreshFirstConvolutionOnGrayDatasets && train.SourceChannels == 1
                && architecture.Family is ModelFamily.ResNet or ModelFamily.Vgg or ModelFamily.GoogLeNet;
            Device device = trainer.Compute.ResolveDevice();
            model = CreateModel(spec, architecture, weights, freeze, protocol, freshFirstConvolution, train.ClassCount, device);
            PrefixFeatures? features = Options.FeatureCache.Enabled
                ? PrefixFeatures.TryCreate(
                    featureCache,
                    model,
                    transform,
                    device,
                    spec.Training.EvaluationBatchSize,
                    (descriptor.Name, Options.DataPathFor(descriptor.Name)),
                    weights.IsRandom ? $"random(seed {spec.Seed})" : model.WeightsSource,
                    train.Count)
                : null;
            TrainingSummary training;
            if (savedModel is not null)
            {
                training = SavedModels.Load(model, savedModel, spec);
            }
            else
            {
                using PoisonedDataset? reduced = withoutRows is null
                    ? null
                    : poisoned?.Without(withoutRows) ?? WithoutRows(train, trigger ?? TrainedExperiment.NoTrigger, spec.TargetClass, withoutRows);
                PoisonedDataset? source = reduced ?? poisoned;
                using FeatureBatchSource? cached = features is null ? null : source is null ? features.Clean(train, "train") : features.Poisoned(source, "train");
                training = trainer.Train(
                    model,
                    cached ?? (IBatchSource)(source is null ? DatasetBatchSource.FromClean(train, transform) : DatasetBatchSource.FromPoisoned(source, transform)),
                    spec.Seed,
                    progress,
                    cancellationToken);
            }

            return new TrainedExperiment(
                spec,
                protocol,
                model,
                transform,
                test,
                trigger,
                trigger is null ? null : Geometry(trigger, train, transform.Size),
                training,
                train,
                poisoned?.PoisonedIndices ?? [],
                features,
                features?.Status ?? (Options.FeatureCache.Enabled ? FeatureCacheStatus.NotCacheable : FeatureCacheStatus.Off))
            {
                CoverIndices = poisoned?.CoverIndices ?? [],
                CoverTrigger = poisoned?.CoverTrigger,
            };
        }
        catch
        {
            model?.Dispose();
            test?.Dispose();
            train?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks, before the first experiment of a sweep, what would make every experiment of a dataset or model fail: each
    /// dataset's folder exists and reads, with the official split sizes for the limits asked (the datasets stay cached
    /// for the experiments), and each model that asks for pretrained weights loads them (file, format, keys, shapes,
    /// finite values).
    /// </summary>
    /// <param name="specs">The experiments about to run.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="DirectoryNotFoundException">A dataset folder does not exist (or is a file); the message names it.</exception>
    /// <exception cref="DatasetFormatException">A dataset file is corrupt, or a split is smaller than the experiments need.</exception>
    /// <exception cref="ModelWeightsException">A pretrained model's weights are missing or do not load; the message names the file.</exception>
    public void CheckInputs(IEnumerable<ExperimentSpec> specs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ExperimentSpec[] all = [.. specs];
        foreach (string dataset in all.Select(s => s.Dataset).Distinct(StringComparer.Ordinal))
        {
            string path = Options.DataPathFor(dataset);
            if (!Directory.Exists(path))
            {
                string problem = File.Exists(path) ? "is a file, not a folder" : "does not exist";
                throw new DirectoryNotFoundException(
                    $"dataset '{dataset}': its folder '{path}' {problem}; give the data root (--data) or prepare it (docs/datasets.md).");
            }
        }

        foreach (ExperimentSpec spec in all.Where(s => s.Weights == "pretrained").DistinctBy(s => s.Model))
        {
            // Loading the weights once checks the whole file (format, keys, shapes, finite values), not just its name.
            IModelFactory architecture = Options.Catalog.Models.Get(spec.Model);
            architecture.Create(2, ResolveWeights(spec, architecture), ModelOptions.Default, logger).Dispose();
        }

        foreach (ExperimentSpec spec in all.DistinctBy(s => (s.Dataset, s.TrainLimit, s.TestLimit)))
        {
            DatasetDescriptor known = Options.Catalog.Datasets.Get(spec.Dataset);
            datasets.Check(known, spec, cancellationToken);
        }
    }

    /// <summary>Frees the cached datasets and features.</summary>
    public void Dispose()
    {
        featureCache.Dispose();
        datasets.Dispose();
    }

    /// <summary>Runs the options' defenses on a trained experiment and adds their metrics, prefixed with the defense's name.</summary>
    private IReadOnlyDictionary<string, double> WithDefenses(
        IReadOnlyDictionary<string, double> metrics, TrainedExperiment trained, Device device, CancellationToken cancellationToken)
    {
        if (Options.Defenses.Count == 0)
        {
            return metrics;
        }

        var all = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        using PoisonedDataset training = trained.PoisonedTrainingSet();
        ExperimentSpec spec = trained.Spec;
        var context = new Defenses.DefenseContext(trained.Model, trained.Test, trained.Transform, trained.Trigger, spec.TargetClass, spec.Seed, device, training)
        {
            LabelMode = spec.LabelMode,
            Retrain = (rows, token) =>
            {
                using TrainedExperiment again = TrainWithout(spec, rows, token);
                return new ModelEvaluator(spec.Training, Options.Compute, loggerFactory.CreateLogger<ModelTrainer>())
                    .Evaluate(again.Model, again.Test, again.Transform, again.Trigger, spec.TargetClass, spec.LabelMode, again.PrefixFeatures, token);
            },
        };
        foreach (Defenses.IDefense defense in Options.Defenses)
        {
            foreach ((string name, double value) in defense.Inspect(context, cancellationToken))
            {
                all[$"{defense.Name}.{name}"] = value;
            }
        }

        return all;
    }

    /// <summary>A clean training set without some rows, as a view with no poisoned row.</summary>
    private static PoisonedDataset WithoutRows(ImageDataset train, ITrigger trigger, int targetClass, IReadOnlyCollection<int> rows)
    {
        using var all = new PoisonedDataset(train, trigger, targetClass, []);
        return all.Without(rows);
    }

    private static TriggerGeometry Geometry(ITrigger trigger, ImageDataset train, int inputSize)
    {
        (int height, int width) = trigger.Canvas == TriggerCanvas.NativeImage ? (train.Height, train.Width) : (inputSize, inputSize);
        PixelRectangle r = trigger.Resolve(height, width);
        return new TriggerGeometry(r.X, r.Y, r.Width, r.Height, trigger.Canvas, width, height, trigger.Description);
    }

    private ModelWeights ResolveWeights(ExperimentSpec spec, IModelFactory architecture) => spec.Weights == "random"
        ? ModelWeights.Random
        : Options.WeightsDirectory is null && architecture.PackagedWeights is not null
        ? ModelWeights.Packaged
        : ModelWeights.FromDirectory(Options.WeightsDirectory ?? throw new ModelWeightsException(
            $"experiment {spec.Id} asks for pretrained {architecture.Name} weights, but no weights directory is set " +
            "(ExperimentRunnerOptions.WeightsDirectory; docs/weights.md).",
            string.Empty));

    private BackdoorModel CreateModel(
        ExperimentSpec spec,
        IModelFactory architecture,
        ModelWeights weights,
        IFreezeStrategy freeze,
        StudyProtocol protocol,
        bool freshFirstConvolution,
        int classes,
        Device device)
    {
        var modelOptions = new ModelOptions { FreezeStrategy = freeze, Device = device, TransformInput = protocol.GoogLeNetTransformInput, Seed = spec.Seed };
        lock (ModelSeeding.Gate)
        {
            BackdoorModel model = architecture.Create(classes, weights, modelOptions, loggerFactory.CreateLogger(architecture.GetType()));
            if (freshFirstConvolution)
            {
                model.ResetFirstConvolution();
            }

            return model;
        }
    }

    private static string FeatureCacheText(FeatureCacheStatus status) => status switch
    {
        FeatureCacheStatus.Hit => "hit",
        FeatureCacheStatus.Miss => "miss",
        FeatureCacheStatus.NotCacheable => "not-cacheable",
        _ => "off",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Id}: clean accuracy {Accuracy:F4}, ASR {Asr:F4}, {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, string id, double accuracy, double asr, double seconds);
}
