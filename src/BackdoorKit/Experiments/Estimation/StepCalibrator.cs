using System.Diagnostics;
using BackdoorKit.Data;
using BackdoorKit.Features;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Runtime;
using BackdoorKit.Training;
using static TorchSharp.torch;

namespace BackdoorKit.Experiments.Estimation;

/// <summary>
/// Measures the real step costs of each distinct <see cref="CalibrationCell"/> of a plan on this machine: it builds the
/// cell's model with random weights and the experiment's freeze strategy, and runs the real <see cref="ModelTrainer"/>
/// and <see cref="DatasetBatchSource"/> on a synthetic uint8 dataset at the dataset's native side (so batch building,
/// resizing, trigger drawing and normalisation are measured), first a warm-up step, then training steps and clean and
/// triggered evaluation batches at small batch sizes, then at four times the largest measured one and so on, and at the
/// real ones, while they fit in the cell's budget. Each time is the fastest of its timed steps, which follow an untimed one.
/// </summary>
/// <remarks>
/// Steps of big models at big batches take tens of seconds on a CPU: the costs are fitted as
/// <c>fixed + perSample x batch</c> (<see cref="StepCost.Fit"/>) and predicted at the real batch size. Pretrained
/// weights are not loaded: the step costs do not depend on the weights' values.
/// </remarks>
public sealed class StepCalibrator
{
    /// <summary>Initializes a new instance of the <see cref="StepCalibrator"/> class.</summary>
    /// <param name="options">How to measure; <see cref="StepCalibrationOptions.Default"/> when null.</param>
    public StepCalibrator(StepCalibrationOptions? options = null) => Options = options ?? StepCalibrationOptions.Default;

    /// <summary>Gets how the calibrator measures.</summary>
    public StepCalibrationOptions Options { get; }

    /// <summary>Calibrates every distinct cell of <paramref name="specs"/>, in the order the cells first appear.</summary>
    /// <param name="specs">The experiments.</param>
    /// <param name="progress">Receives each cell's calibration when it is done.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>One calibration per cell.</returns>
    /// <exception cref="ArgumentException">An experiment names an unknown model, freeze strategy, protocol or trigger, or a dataset without a nominal shape.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IReadOnlyList<CellCalibration> Calibrate(
        IEnumerable<ExperimentSpec> specs, IProgress<CellCalibration>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var calibrations = new List<CellCalibration>();
        foreach (IGrouping<CalibrationCell, ExperimentSpec> cell in specs.GroupBy(s => CalibrationCell.Of(s, Options.Catalog)))
        {
            // A backdoored experiment stands for the cell, so training draws triggers and evaluation has its triggered pass.
            ExperimentSpec representative = cell.FirstOrDefault(s => s.Trigger is not null && !s.IsClean)
                ?? cell.FirstOrDefault(s => s.Trigger is not null)
                ?? cell.First();
            CellCalibration calibration = CalibrateCell(representative, cancellationToken);
            progress?.Report(calibration);
            calibrations.Add(calibration);
        }

        return calibrations;
    }

    /// <summary>
    /// Calibrates the cell of one experiment, trained as the experiment is (poisoned when it is backdoored) and
    /// evaluated on clean and, when it has a trigger, on triggered batches.
    /// </summary>
    /// <param name="spec">The experiment that stands for its cell.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The cell's calibration.</returns>
    /// <exception cref="ArgumentException">The experiment names an unknown model, freeze strategy, protocol or trigger, or a dataset without a nominal shape.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public CellCalibration CalibrateCell(ExperimentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        TorchRuntime.EnsureInitialized();
        var cell = new Cell(spec, ExperimentSetup.Resolve(spec, Options.Catalog), NominalDatasets.Get(spec.Dataset, Options.Catalog), Options.Compute);
        CalibrationCell key = CalibrationCell.Of(spec, Options.Catalog);

        var setupClock = Stopwatch.StartNew();
        using BackdoorModel model = cell.CreateModel();
        double overhead = setupClock.Elapsed.TotalSeconds;
        cell.CachedStages = Options.FeatureCache ? PrefixFeatures.CacheableStages(model, cell.Setup.Transform) : 0;

        // Warm-up at the smallest batch size: the first steps of a process and of a model set up kernels and buffers.
        // Its time (an upper bound) sizes the first measurements.
        var warmClock = Stopwatch.StartNew();
        cell.Train(model, Options.SmallBatchSizes[0], 1, cancellationToken);
        double warmTrain = warmClock.Elapsed.TotalSeconds / 2;
        warmClock.Restart();
        cell.Evaluate(model, Options.SmallBatchSizes[0], 1, triggered: false, cancellationToken);
        double warmEvaluation = warmClock.Elapsed.TotalSeconds / 2;
        double warmPrefix = 0;
        if (cell.CachedStages > 0)
        {
            warmClock.Restart();
            cell.Prefix(model, Options.SmallBatchSizes[0], 1, cancellationToken);
            warmPrefix = warmClock.Elapsed.TotalSeconds / 2;
        }

        // On cached features a triggered batch costs what a clean one does: the trigger is in the features.
        double budget = Options.BudgetPerCell.TotalSeconds;
        bool triggered = cell.Setup.Trigger is not null && cell.CachedStages == 0;
        double share = budget / (3 + (triggered ? 1 : 0) + (cell.CachedStages > 0 ? 1 : 0));
        IReadOnlyList<StepTiming> train = Measure(
            key.BatchSize, warmTrain, 2 * share, (b, steps) => cell.Train(model, b, steps, cancellationToken));
        IReadOnlyList<StepTiming> clean = Measure(
            key.EvaluationBatchSize, warmEvaluation, share, (b, steps) => cell.Evaluate(model, b, steps, triggered: false, cancellationToken));
        IReadOnlyList<StepTiming> attack = triggered
            ? Measure(key.EvaluationBatchSize, warmEvaluation, share, (b, steps) => cell.Evaluate(model, b, steps, triggered: true, cancellationToken))
            : [];
        IReadOnlyList<StepTiming> prefix = cell.CachedStages > 0
            ? Measure(key.EvaluationBatchSize, warmPrefix, share, (b, steps) => cell.Prefix(model, b, steps, cancellationToken))
            : [];
        StepCost cleanCost = StepCost.Fit(clean);

        return new CellCalibration(
            key,
            StepCost.Fit(train),
            train,
            cleanCost,
            clean,
            triggered ? StepCost.Fit(attack) : cell.Setup.Trigger is null ? null : cleanCost,
            triggered ? attack : cell.Setup.Trigger is null ? [] : clean,
            overhead,
            get_num_threads(),
            clock.Elapsed.TotalSeconds)
        {
            CachedStages = cell.CachedStages,
            Prefix = prefix.Count == 0 ? null : StepCost.Fit(prefix),
            PrefixTimings = prefix,
        };
    }

    // Measures the small batch sizes below the real one, then four times the largest measured size, and so on, while
    // the predicted steps fit in what is left of the budget, then the real batch size when its steps fit too (always
    // when it is no larger than the small sizes), so the fit extrapolates as little as the budget allows.
    private List<StepTiming> Measure(int realBatch, double warmUpSeconds, double budget, Func<int, int, StepTiming> measure)
    {
        var timings = new List<StepTiming>();
        var clock = Stopwatch.StartNew();
        int[] small = [.. Options.SmallBatchSizes.Where(b => b < realBatch)];
        int first = Options.SmallBatchSizes[0];
        double Predict(int batch) => timings.Count == 0 ? warmUpSeconds * batch / first : StepCost.Fit(timings).Seconds(batch);
        double Left() => budget - clock.Elapsed.TotalSeconds;
        for (int i = 0; i < small.Length; i++)
        {
            timings.Add(measure(small[i], Steps(Left() / (small.Length - i + 1), Predict(small[i]))));
        }

        long next = timings.Count == 0 ? realBatch : 4L * timings[^1].BatchSize;
        for (; next < realBatch && 3 * Predict((int)next) <= Left(); next *= 4)
        {
            timings.Add(measure((int)next, Steps(Left() / 2, Predict((int)next))));
        }

        if (realBatch <= Options.SmallBatchSizes[^1] || 2 * Predict(realBatch) <= Left())
        {
            timings.Add(measure(realBatch, Steps(Left(), Predict(realBatch))));
        }

        return timings;
    }

    // Timed steps that fit in `seconds` after the untimed one; at least one.
    private int Steps(double seconds, double secondsPerStep) =>
        (int)Math.Clamp(Math.Floor(seconds / Math.Max(secondsPerStep, 1e-6)) - 1, 1, Options.MaxStepsPerBatchSize);

    /// <summary>One cell's resolved setup and the measurements on it.</summary>
    private sealed class Cell(ExperimentSpec spec, ExperimentSetup setup, NominalDataset shape, ComputeOptions compute)
    {
        public ExperimentSetup Setup => setup;


        public BackdoorModel CreateModel() => setup.Architecture.Create(
            shape.Classes, ModelWeights.Random, new ModelOptions { FreezeStrategy = setup.Freeze, Device = compute.ResolveDevice() });

        /// <summary>Gets or sets the stages the runner would cache (0: the whole network runs in every step).</summary>
        public int CachedStages { get; set; }

        // Trains one untimed step (a new optimizer and batch shape set up state) and then `steps` timed ones, in one epoch,
        // on images or, when the prefix is cached, on its features.
        public StepTiming Train(BackdoorModel model, int batch, int steps, CancellationToken cancellationToken)
        {
            using ImageDataset data = Synthetic(batch * (steps + 1));
            bool poisoned = setup.Trigger is not null && !spec.IsClean && CachedStages == 0;
            using PoisonedDataset? view = poisoned
                ? setup.Poisoner.Poison(
                    data, setup.Trigger!, setup.Protocol.CreatePoisoningOptions(Math.Max(spec.PoisoningRate, 1.0 / data.Count), spec.TargetClass, spec.Seed) with { LabelMode = spec.LabelMode })
                : null;
            using FeatureBatchSource? features = CachedStages > 0 ? Features(model, data) : null;
            var trainer = new ModelTrainer(spec.Training with { BatchSize = batch, Epochs = 1 }, compute);
            var elapsed = new List<TimeSpan>();
            trainer.Train(
                model,
                features ?? (IBatchSource)(view is null ? DatasetBatchSource.FromClean(data, setup.Transform) : DatasetBatchSource.FromPoisoned(view, setup.Transform)),
                spec.Seed,
                new Recorder(p => elapsed.Add(p.Elapsed)),
                cancellationToken);
            return Fastest(batch, [.. elapsed.Skip(1).Select((e, i) => (e - elapsed[i]).TotalSeconds)]);
        }

        // Predicts one untimed batch and then `steps` timed ones of `batch` samples, clean or all triggered, on images or
        // on cached features.
        public StepTiming Evaluate(BackdoorModel model, int batch, int steps, bool triggered, CancellationToken cancellationToken)
        {
            using ImageDataset data = Synthetic(batch);
            using PoisonedDataset? attack = triggered ? AttackTestSet.Create(data, setup.Trigger!, spec.TargetClass, includeTargetClass: true, spec.LabelMode) : null;
            using FeatureBatchSource? features = CachedStages > 0 ? Features(model, data) : null;
            IBatchSource source = features
                ?? (IBatchSource)(attack is null ? DatasetBatchSource.FromClean(data, setup.Transform) : DatasetBatchSource.FromPoisoned(attack, setup.Transform));
            var trainer = new ModelTrainer(spec.Training with { EvaluationBatchSize = batch }, compute);
            trainer.Predict(model, source, cancellationToken);
            var seconds = new double[steps];
            for (int i = 0; i < steps; i++)
            {
                long start = Stopwatch.GetTimestamp();
                trainer.Predict(model, source, cancellationToken);
                seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            return Fastest(batch, seconds);
        }

        // Computes the cached prefix's output for one untimed batch and then `steps` timed ones of `batch` images.
        public StepTiming Prefix(BackdoorModel model, int batch, int steps, CancellationToken cancellationToken)
        {
            using ImageDataset data = Synthetic(batch);
            var seconds = new double[steps + 1];
            for (int i = 0; i <= steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long start = Stopwatch.GetTimestamp();
                ComputeFeatures(model, data);
                seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            return Fastest(batch, seconds[1..]);
        }

        // Computes the cached prefix's output for every image, as the runner does (evaluation mode, no gradients).
        private void ComputeFeatures(BackdoorModel model, ImageDataset data)
        {
            model.SetTrainingMode(false);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            (Tensor inputs, _) = DatasetBatchSource.FromClean(data, setup.Transform).GetBatch(arange(data.Count, ScalarType.Int64), compute.ResolveDevice(), null);
            model.ForwardPrefix(inputs, CachedStages);
        }

        // Stand-in features of the prefix's output shape for timing the rest of the network: its cost does not depend on
        // the values, and computing real ones for every timed step would spend the budget on the prefix.
        private FeatureBatchSource Features(BackdoorModel model, ImageDataset data)
        {
            using var scope = NewDisposeScope();
            long[] shape;
            using (no_grad())
            {
                model.SetTrainingMode(false);
                (Tensor one, _) = DatasetBatchSource.FromClean(data, setup.Transform).GetBatch(zeros(1, ScalarType.Int64), compute.ResolveDevice(), null);
                shape = model.ForwardPrefix(one, CachedStages).shape;
            }

            Tensor features = randn([data.Count, .. shape.Skip(1)], device: compute.ResolveDevice());
            return new FeatureBatchSource(features.DetachFromDisposeScope(), data.Labels.clone().DetachFromDisposeScope(), CachedStages);
        }

        // The fastest step: what the machine does when the process has its cores. Other processes on shared cores slow
        // single steps down by a large factor (the intra-op threads wait for each other), which the median of a few
        // seconds of steps would carry into an estimate of hours.
        private static StepTiming Fastest(int batch, double[] seconds) => new(batch, seconds.Length, Math.Max(seconds.Min(), 1e-9));

        // Random uint8 images at the dataset's native side; labels cycle through the classes.
        private ImageDataset Synthetic(int count)
        {
            using var scope = NewDisposeScope();
            Tensor images = randint(0, 256, [count, 3, shape.Side, shape.Side], ScalarType.Byte);
            Tensor labels = arange(count, ScalarType.Int64).remainder(shape.Classes);
            return new ImageDataset(
                $"{spec.Dataset}-synthetic",
                images.MoveToOuterDisposeScope(),
                labels.MoveToOuterDisposeScope(),
                [.. Enumerable.Range(0, shape.Classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                shape.SourceChannels);
        }
    }

    /// <summary>Reports on the calling thread, so every step is recorded before training returns.</summary>
    private sealed class Recorder(Action<TrainingProgress> record) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => record(value);
    }
}
