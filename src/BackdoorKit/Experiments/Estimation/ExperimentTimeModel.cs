using BackdoorKit.Training;

namespace BackdoorKit.Experiments.Estimation;

/// <summary>
/// Turns measured step costs into experiment times: epochs x the training batches of the training set (as
/// <see cref="ModelTrainer"/> cuts them) x the training-step cost, plus the clean evaluation batches and, for an
/// experiment with a trigger, the triggered ones x the evaluation-batch cost, plus the measured per-experiment
/// overhead. Sample counts are the official split sizes capped by the spec's limits.
/// </summary>
public static class ExperimentTimeModel
{
    /// <summary>Estimates one experiment.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="calibration">The calibration of the experiment's cell.</param>
    /// <param name="catalog">Where the spec's names resolve.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The calibration is of another cell, or has no triggered evaluation for an experiment with a trigger.</exception>
    public static ExperimentTime Estimate(ExperimentSpec spec, CellCalibration calibration, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(calibration);
        CalibrationCell cell = CalibrationCell.Of(spec, catalog);
        if (cell != calibration.Cell)
        {
            throw new ArgumentException($"the calibration is of cell {calibration.Cell}, not of the experiment's cell {cell}.", nameof(calibration));
        }

        (int train, int test) = NominalDatasets.Samples(spec, catalog);
        double epoch = ModelTrainer.BatchBounds(train, cell.BatchSize).Sum(b => calibration.Train.Seconds(b.Length));
        double evaluation = EvaluationSeconds(test, cell.EvaluationBatchSize, calibration.Evaluation);
        if (spec.Trigger is not null)
        {
            StepCost triggered = calibration.TriggeredEvaluation ?? throw new ArgumentException(
                $"the calibration of cell {cell} has no triggered evaluation, but experiment {spec.Id} has a trigger.", nameof(calibration));
            evaluation += EvaluationSeconds(test, cell.EvaluationBatchSize, triggered);
        }

        return new ExperimentTime(spec.Training.Epochs * epoch, evaluation, calibration.OverheadSeconds);
    }

    /// <summary>Estimates a plan run one experiment at a time.</summary>
    /// <param name="specs">The experiments.</param>
    /// <param name="calibrations">The calibrations of their cells (e.g. from <see cref="StepCalibrator.Calibrate"/>).</param>
    /// <param name="catalog">Where the specs' names resolve.</param>
    /// <returns>The estimate, by cell.</returns>
    /// <exception cref="ArgumentException">An experiment's cell has no calibration.</exception>
    public static PlanTimeEstimate Estimate(IEnumerable<ExperimentSpec> specs, IReadOnlyList<CellCalibration> calibrations, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(calibrations);
        Dictionary<CalibrationCell, CellCalibration> byCell = calibrations.ToDictionary(c => c.Cell);
        return new PlanTimeEstimate([.. specs.GroupBy(s => CalibrationCell.Of(s, catalog)).Select(cell =>
        {
            CellCalibration calibration = byCell.TryGetValue(cell.Key, out CellCalibration? c)
                ? c
                : throw new ArgumentException($"no calibration is given for cell {cell.Key}.", nameof(calibrations));
            return new CellTimeEstimate(calibration, cell.Count(), cell.Sum(s => Estimate(s, calibration, catalog).Seconds) + FeatureSeconds(cell, calibration, catalog));
        })]);
    }

    /// <summary>
    /// Estimates the time a runner spends computing cached prefix features for experiments of one cell, once for all of
    /// them (<see cref="Features.FeatureCache"/>): every clean training and test image once per weights (per seed for
    /// random weights), and per trigger the triggered test images plus the poisoned training images: the rows of one seed
    /// at a smaller rate are among its rows at a larger one, and the union over seeds is expected to cover a share
    /// 1 - prod over seeds of (1 - largest rate) of the training set.
    /// </summary>
    /// <param name="specs">The cell's experiments.</param>
    /// <param name="calibration">The cell's measured costs; zero when it caches nothing.</param>
    /// <param name="catalog">Where the specs' names resolve.</param>
    /// <returns>The seconds.</returns>
    /// <exception cref="ArgumentException">A dataset has no nominal shape.</exception>
    public static double FeatureSeconds(IEnumerable<ExperimentSpec> specs, CellCalibration calibration, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Prefix is not { } prefix)
        {
            return 0;
        }

        double images = 0;
        foreach (IGrouping<string, ExperimentSpec> weights in specs.GroupBy(s => s.Weights == "random" ? $"random/{s.Seed}" : s.Weights))
        {
            int train = weights.Max(s => NominalDatasets.Samples(s, catalog).Train);
            int test = weights.Max(s => NominalDatasets.Samples(s, catalog).Test);
            images += train + test;
            foreach (var trigger in weights.Where(s => s.Trigger is not null).GroupBy(s => (s.Trigger, s.Protocol)))
            {
                // One seed's poisoned rows at a smaller rate are the first of its rows at a larger one (the poisoner takes the
                // head of a seeded permutation), so each seed adds its largest rate; seeds draw independently.
                double untouched = trigger.Where(s => !s.IsClean).GroupBy(s => s.Seed)
                    .Aggregate(1.0, (share, seed) => share * (1 - seed.Max(s => s.PoisoningRate)));
                images += test + (train * (1 - untouched));
            }
        }

        int batch = calibration.Cell.EvaluationBatchSize;
        return images / batch * prefix.Seconds(batch);
    }

    // ModelTrainer.Predict serves full batches and one shorter last batch.
    private static double EvaluationSeconds(int samples, int batchSize, StepCost cost)
    {
        int full = samples / batchSize;
        int rest = samples % batchSize;
        return (full * cost.Seconds(batchSize)) + (rest == 0 ? 0 : cost.Seconds(rest));
    }
}
