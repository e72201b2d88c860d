using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Experiments.Estimation;
using BackdoorKit.Training;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>plan</c> (<see cref="PlanSettings"/>): experiment counts per factor, the compute in FLOP, and the time on this
/// machine from measured steps of every distinct cell of the plan, before anything long starts; optionally a Slurm
/// job-array script for N shards.
/// </summary>
internal sealed class PlanCommand : Command<PlanSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, PlanSettings settings, CancellationToken cancellationToken)
    {
        (ExperimentMatrix matrix, IReadOnlyList<string> source) = settings.LoadMatrix();
        bool json = settings.Json;
        int shards = settings.Shards;
        string? slurm = settings.Slurm;
        SlurmOptions? slurmOptions = slurm is null ? null : SlurmOptions.From(settings);
        double budget = settings.Budget ?? StepCalibrationOptions.Default.BudgetPerCell.TotalSeconds;
        ExperimentPlan plan = matrix.Expand();
        double flop = plan.All.Sum(s => ComputeEstimator.Flop(s, ComponentCatalog.Default));
        PlanTimeEstimate? time = null;
        IReadOnlyList<CellCalibration>? cells = null;
        double calibrationSeconds = 0;
        if (!settings.NoCalibration)
        {
            var calibrator = new StepCalibrator(new StepCalibrationOptions
            {
                BudgetPerCell = TimeSpan.FromSeconds(budget),
                Compute = new ComputeOptions { Threads = settings.Threads },
            });
            var clock = Stopwatch.StartNew();
            cells = calibrator.Calibrate(
                plan.All,
                new CellProgress(c => Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"calibrated {Describe(c.Cell)} in {c.Seconds:F1} s"))),
                cancellationToken);
            calibrationSeconds = clock.Elapsed.TotalSeconds;
            time = ExperimentTimeModel.Estimate(plan.All, cells, ComponentCatalog.Default);
        }

        if (slurm is not null)
        {
            TimeSpan? perShard = cells is null
                ? null
                : TimeSpan.FromSeconds(Enumerable.Range(0, shards).Max(i => ExperimentTimeModel.Estimate(plan.Shard(i, shards), cells, ComponentCatalog.Default).Seconds));
            File.WriteAllText(slurm, SlurmScript.For(SlurmJob.FromHere(matrix.Name, source, shards, perShard, slurm), slurmOptions!));
            slurmOptions!.WarnAboutDefaultTime(perShard);
        }

        int threadCount = time?.Cells.FirstOrDefault()?.Calibration.Threads ?? TorchSharp.torch.get_num_threads();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(
                new
                {
                    matrix = matrix.Name,
                    total = plan.All.Count,
                    backdoored = plan.Backdoored.Count,
                    clean = plan.Clean.Count,
                    freezeStudy = plan.FreezeStudy.Count,
                    factors = Factors.Of(plan.All).Select(f => new { factor = f.Factor, value = f.Value, experiments = f.Specs.Count() }),
                    shards,
                    perShard = (int)Math.Ceiling(plan.All.Count / (double)shards),
                    estimatedFlop = flop,
                    estimatedSeconds = time?.Seconds,
                    calibration = time is null ? null : new { threads = threadCount, cells = time.Cells.Count, seconds = calibrationSeconds },
                    cells = time?.Cells.Select(CellJson),
                    slurmScript = slurm,
                },
                BackdoorKit.BackdoorKitJson.Options));
            return 0;
        }

        Terminal.Line($"{matrix.Name}: {plan.All.Count} experiments = {plan.Backdoored.Count} backdoored + {plan.Clean.Count} clean baselines + {plan.FreezeStudy.Count} freeze study");
        Terminal.Table(
            "experiments per factor",
            ["factor", "value", "experiments"],
            Factors.Of(plan.All).Select(f => (IReadOnlyList<string>)[f.Factor, f.Value, f.Specs.Count().ToString(CultureInfo.InvariantCulture)]));
        Terminal.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"estimated compute: {flop:E2} FLOP (published forward costs per model; the same on every machine)"));
        if (time is not null)
        {
            Terminal.Table(
                "measured step costs per cell (train step at the training batch, evaluation batch at the evaluation batch; with cached features, both run on the features, computed once per image and trigger)",
                ["cell", "experiments", "train step", "measured at", "eval batch", "measured at", "cached features", "per experiment", "total"],
                time.Cells.Select(c => (IReadOnlyList<string>)
                [
                    Describe(c.Calibration.Cell),
                    c.Experiments.ToString(CultureInfo.InvariantCulture),
                    Seconds(c.Calibration.Train.Seconds(c.Calibration.Cell.BatchSize)),
                    Batches(c.Calibration.TrainTimings),
                    Seconds(c.Calibration.Evaluation.Seconds(c.Calibration.Cell.EvaluationBatchSize)),
                    Batches(c.Calibration.EvaluationTimings),
                    c.Calibration.Prefix is { } prefix
                        ? string.Create(CultureInfo.InvariantCulture, $"{c.Calibration.CachedStages} stages, {Seconds(prefix.Seconds(c.Calibration.Cell.EvaluationBatchSize))} per batch")
                        : "-",
                    Duration(c.Seconds / c.Experiments),
                    Duration(c.Seconds),
                ]));
            Terminal.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"estimated time: {Duration(time.Seconds)} one experiment at a time, calibrated on measured steps of {time.Cells.Count} cells on this machine " +
                $"({threadCount} threads, {calibrationSeconds:F0} s of calibration). Runs with --parallel P share these cores: expect about the same total. " +
                $"Not included: reading each dataset once per process, loading pretrained weights, and the defenses' own work (the retraining ones train each model again)."));
        }
        else
        {
            Terminal.Line("estimated time: not measured (--no-calibration)");
        }

        if (shards > 1)
        {
            Terminal.Line($"{shards} shards of at most {(int)Math.Ceiling(plan.All.Count / (double)shards)} experiments" + (slurm is null ? string.Empty : $"; Slurm script: {slurm}"));
        }

        return 0;
    }

    private static object CellJson(CellTimeEstimate c)
    {
        CellCalibration k = c.Calibration;
        return new
        {
            dataset = k.Cell.Dataset,
            model = k.Cell.Model,
            freezeStrategy = k.Cell.FreezeStrategy,
            protocol = k.Cell.Protocol,
            inputSize = k.Cell.InputSize,
            batchSize = k.Cell.BatchSize,
            evaluationBatchSize = k.Cell.EvaluationBatchSize,
            optimizer = k.Cell.Optimizer,
            classes = k.Cell.Classes,
            experiments = c.Experiments,
            trainStepSeconds = k.Train.Seconds(k.Cell.BatchSize),
            trainStep = Cost(k.Train, k.TrainTimings),
            evaluationBatchSeconds = k.Evaluation.Seconds(k.Cell.EvaluationBatchSize),
            evaluationBatch = Cost(k.Evaluation, k.EvaluationTimings),
            triggeredEvaluationBatchSeconds = k.TriggeredEvaluation?.Seconds(k.Cell.EvaluationBatchSize),
            triggeredEvaluationBatch = k.TriggeredEvaluation is null ? null : Cost(k.TriggeredEvaluation, k.TriggeredEvaluationTimings),
            overheadSeconds = k.OverheadSeconds,
            cachedStages = k.CachedStages,
            prefixBatchSeconds = k.Prefix?.Seconds(k.Cell.EvaluationBatchSize),
            prefixBatch = k.Prefix is null ? null : Cost(k.Prefix, k.PrefixTimings),
            secondsPerExperiment = c.Seconds / c.Experiments,
            seconds = c.Seconds,
            calibrationSeconds = k.Seconds,
        };
    }

    private static object Cost(StepCost cost, IReadOnlyList<StepTiming> timings) => new
    {
        fixedSeconds = cost.FixedSeconds,
        secondsPerSample = cost.SecondsPerSample,
        measured = timings.Select(t => new { batchSize = t.BatchSize, steps = t.Steps, secondsPerStep = t.SecondsPerStep }),
    };

    private static string Describe(CalibrationCell c) => string.Create(
        CultureInfo.InvariantCulture,
        $"{c.Dataset}/{c.Model} {c.FreezeStrategy} {c.Protocol} {c.InputSize} px, batch {c.BatchSize}/{c.EvaluationBatchSize}, {c.Optimizer}, {c.Classes} classes");

    private static string Batches(IReadOnlyList<StepTiming> timings) => "batch " + string.Join(", ", timings.Select(t => t.BatchSize.ToString(CultureInfo.InvariantCulture)));

    private static string Seconds(double seconds) => seconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F1} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s");

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min"),
        < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F1} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400:F0} days"),
    };

    /// <summary>Reports on the calling thread.</summary>
    private sealed class CellProgress(Action<CellCalibration> report) : IProgress<CellCalibration>
    {
        public void Report(CellCalibration value) => report(value);
    }
}
