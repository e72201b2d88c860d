using BackdoorKit.Experiments;
using BackdoorKit.Experiments.Estimation;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments.Estimation;

public class StepCalibratorTests
{
    private static readonly ExperimentSpec Backdoored = SpecFixtures.SmallCnnOnMnist with
    {
        Weights = "random",
        Trigger = new TriggerSpec(0.25, "bottom-right", "#FFFFFF"),
        InputSize = 16,
        Training = TrainingOptions.Default with { BatchSize = 4, EvaluationBatchSize = 3 },
    };

    // The real batch sizes (4 and 3) are no larger than the largest small size, so they are always measured.
    private static readonly StepCalibrator Calibrator = new(new StepCalibrationOptions
    {
        BudgetPerCell = TimeSpan.FromMilliseconds(50),
        SmallBatchSizes = [2, 4],
        MaxStepsPerBatchSize = 1,
    });

    [Fact]
    public void Calibrate_TinySmallCnnCells_MeasuresEachDistinctCellOnceWithPositiveFiniteTimes()
    {
        ExperimentSpec otherSeed = Backdoored with { Seed = 7, Trigger = Backdoored.Trigger! with { Position = "top-left" } };
        ExperimentSpec cleanOnly = Backdoored with { Trigger = null, PoisoningRate = 0, Training = Backdoored.Training with { BatchSize = 2 } };

        IReadOnlyList<CellCalibration> cells = Calibrator.Calibrate([Backdoored, otherSeed, cleanOnly]);

        cells.Select(c => c.Cell).Should().Equal(CalibrationCell.Of(Backdoored, ComponentCatalog.Default), CalibrationCell.Of(cleanOnly, ComponentCatalog.Default));
        cells[0].TrainTimings.Select(t => t.BatchSize).Should().Equal(2, 4);
        cells[0].EvaluationTimings.Select(t => t.BatchSize).Should().Equal(2, 3);
        cells[0].TriggeredEvaluationTimings.Select(t => t.BatchSize).Should().Equal(2, 3);
        cells[1].TrainTimings.Select(t => t.BatchSize).Should().Equal(2);
        cells[1].TriggeredEvaluation.Should().BeNull("the cell has no experiment with a trigger");
        foreach (CellCalibration cell in cells)
        {
            double[] times = [cell.Train.Seconds(cell.Cell.BatchSize), cell.Evaluation.Seconds(cell.Cell.EvaluationBatchSize), cell.OverheadSeconds, cell.Seconds];
            times.Should().OnlyContain(t => double.IsFinite(t) && t > 0);
            cell.Threads.Should().BePositive();
        }

        cells[0].TriggeredEvaluation!.Seconds(3).Should().BePositive();
    }

    [Fact]
    public void Calibrate_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action act = () => Calibrator.Calibrate([Backdoored], cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Calibrate_ADatasetWithoutNominalShape_FailsNamingIt()
    {
        Action act = () => Calibrator.Calibrate([Backdoored with { Dataset = "folder" }]);

        act.Should().Throw<ArgumentException>().WithMessage("*'folder'*mnist*");
    }

    [Fact]
    public void Options_RejectValuesOutOfRange_NamingThemAndTheAllowedRange()
    {
        Action budget = () => _ = new StepCalibrationOptions { BudgetPerCell = TimeSpan.Zero };
        Action sizes = () => _ = new StepCalibrationOptions { SmallBatchSizes = [1, 8] };
        Action steps = () => _ = new StepCalibrationOptions { MaxStepsPerBatchSize = 0 };

        budget.Should().Throw<ArgumentOutOfRangeException>().WithMessage("BudgetPerCell must be in (0, 10 min]; got 00:00:00*");
        sizes.Should().Throw<ArgumentOutOfRangeException>().WithMessage("SmallBatchSizes must hold distinct sizes in [2, 65536]; got [1, 8]*");
        steps.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxStepsPerBatchSize must be in [1, 1000]; got 0*");
    }
}
