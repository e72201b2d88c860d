using BackdoorKit.Experiments;
using BackdoorKit.Experiments.Estimation;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments.Estimation;

public class ExperimentTimeModelTests
{
    private static readonly ExperimentSpec Backdoored = SpecFixtures.SmallCnnOnMnist with
    {
        TrainLimit = 100,
        TestLimit = 600,
        Training = TrainingOptions.Default with { Epochs = 2, BatchSize = 32, EvaluationBatchSize = 256 },
    };

    private static readonly ExperimentSpec Clean = Backdoored with { Trigger = null, PoisoningRate = 0 };

    // Train: 1 s + 10 ms per sample; clean evaluation: 2 s + 1 ms per sample; triggered: 3 s + 1 ms per sample.
    private static CellCalibration Calibration(ExperimentSpec spec, double overhead = 0) => new(
        CalibrationCell.Of(spec, ComponentCatalog.Default),
        new StepCost(1, 0.01),
        [],
        new StepCost(2, 0.001),
        [],
        new StepCost(3, 0.001),
        [],
        overhead,
        2,
        1);

    [Fact]
    public void Estimate_TrainsEveryEpochOverEveryBatch_WithTheShortLastBatch()
    {
        // 100 samples in batches of 32: 32, 32, 32, 4.
        ExperimentTime time = ExperimentTimeModel.Estimate(Clean, Calibration(Clean), ComponentCatalog.Default);

        time.TrainSeconds.Should().BeApproximately(2 * ((3 * 1.32) + 1.04), 1e-9);
    }

    [Fact]
    public void Estimate_FoldsATrailingSingleSampleIntoTheBatchBefore_AsTheTrainerDoes()
    {
        ExperimentSpec spec = Clean with { TrainLimit = 97 };

        ExperimentTimeModel.Estimate(spec, Calibration(spec), ComponentCatalog.Default).TrainSeconds.Should().BeApproximately(2 * (1.32 + 1.32 + 1.33), 1e-9);
    }

    [Fact]
    public void Estimate_EvaluatesCleanOnly_ForACleanBaseline_AndCleanPlusTriggered_WithATrigger()
    {
        // 600 test samples in batches of 256: 256, 256, 88.
        double clean = (2 * 2.256) + 2.088;
        double triggered = (2 * 3.256) + 3.088;

        ExperimentTimeModel.Estimate(Clean, Calibration(Clean), ComponentCatalog.Default).EvaluationSeconds.Should().BeApproximately(clean, 1e-9);
        ExperimentTimeModel.Estimate(Backdoored, Calibration(Backdoored), ComponentCatalog.Default).EvaluationSeconds.Should().BeApproximately(clean + triggered, 1e-9);
    }

    [Fact]
    public void Estimate_CapsTheOfficialSplitSizesByTheLimits()
    {
        ExperimentSpec all = Clean with { TrainLimit = null, TestLimit = 1_000_000, Training = Clean.Training with { Epochs = 1 } };

        ExperimentTime time = ExperimentTimeModel.Estimate(all, Calibration(all), ComponentCatalog.Default);

        // MNIST: 60,000 training samples (1,875 batches of 32), 10,000 test samples (39 x 256 + 16).
        time.TrainSeconds.Should().BeApproximately(1875 * 1.32, 1e-6);
        time.EvaluationSeconds.Should().BeApproximately((39 * 2.256) + 2.016, 1e-9);
    }

    [Fact]
    public void Estimate_AddsTheMeasuredOverheadOncePerExperiment()
    {
        ExperimentTime time = ExperimentTimeModel.Estimate(Clean, Calibration(Clean, overhead: 0.5), ComponentCatalog.Default);

        time.OverheadSeconds.Should().Be(0.5);
        time.Seconds.Should().BeApproximately(time.TrainSeconds + time.EvaluationSeconds + 0.5, 1e-12);
    }

    [Fact]
    public void Estimate_WithTheCalibrationOfAnotherCell_Fails()
    {
        ExperimentSpec other = Clean with { Training = Clean.Training with { BatchSize = 64 } };

        Action act = () => ExperimentTimeModel.Estimate(other, Calibration(Clean), ComponentCatalog.Default);

        act.Should().Throw<ArgumentException>().WithMessage("*not of the experiment's cell*BatchSize = 64*");
    }

    [Fact]
    public void Estimate_OfAPlan_SumsItsExperimentsPerCell_AndFailsForACellWithoutCalibration()
    {
        ExperimentSpec bigger = Clean with { Training = Clean.Training with { BatchSize = 64 } };
        ExperimentSpec[] plan = [Backdoored, Clean, bigger];

        PlanTimeEstimate estimate = ExperimentTimeModel.Estimate(plan, [Calibration(Clean), Calibration(bigger, overhead: 1)], ComponentCatalog.Default);
        Action missing = () => ExperimentTimeModel.Estimate(plan, [Calibration(Clean)], ComponentCatalog.Default);

        estimate.Cells.Select(c => c.Experiments).Should().Equal(2, 1);
        estimate.Cells[0].Seconds.Should().BeApproximately(
            ExperimentTimeModel.Estimate(Backdoored, Calibration(Clean), ComponentCatalog.Default).Seconds + ExperimentTimeModel.Estimate(Clean, Calibration(Clean), ComponentCatalog.Default).Seconds, 1e-9);
        estimate.Seconds.Should().BeApproximately(estimate.Cells.Sum(c => c.Seconds), 1e-9);
        missing.Should().Throw<ArgumentException>().WithMessage("no calibration is given for cell*");
    }

    [Fact]
    public void FeatureSeconds_CountsEveryCleanImageOnce_AndPerTriggerTheTestSetAndEachSeedsPoisonedRowsOnce()
    {
        ExperimentSpec low = Backdoored with { PoisoningRate = 0.1 }, high = Backdoored with { PoisoningRate = 0.5 };
        ExperimentSpec[] specs = [low, low with { Repetition = 1, Seed = 1 }, high, Clean, Clean with { Repetition = 1, Seed = 1 }];
        CellCalibration cached = Calibration(low) with { CachedStages = 3, Prefix = new StepCost(0.5, 0.002) };

        // 100 + 600 clean images; one trigger: 600 triggered test images and the poisoned rows of seed 0 (its largest rate,
        // 0.5, holds those of 0.1) joined with those of seed 1 (0.1): 100 x (1 - 0.5 x 0.9).
        double images = 700 + 600 + (100 * (1 - (0.5 * 0.9)));
        double perImage = (0.5 + (256 * 0.002)) / 256;

        ExperimentTimeModel.FeatureSeconds(specs, cached, ComponentCatalog.Default).Should().BeApproximately(images * perImage, 1e-9);
        ExperimentTimeModel.FeatureSeconds(specs, Calibration(low), ComponentCatalog.Default).Should().Be(0, "nothing is cached");
    }

    [Fact]
    public void FeatureSeconds_WithRandomWeights_ComputesFeaturesPerSeed()
    {
        ExperimentSpec clean = Clean with { Weights = "random" };
        CellCalibration cached = Calibration(clean) with { CachedStages = 1, Prefix = new StepCost(0, 0.001) };

        double one = ExperimentTimeModel.FeatureSeconds([clean], cached, ComponentCatalog.Default);

        ExperimentTimeModel.FeatureSeconds([clean, clean with { Repetition = 1, Seed = 1 }], cached, ComponentCatalog.Default).Should().BeApproximately(2 * one, 1e-12);
        ExperimentTimeModel.FeatureSeconds([clean with { Weights = "pretrained" }, clean with { Weights = "pretrained", Seed = 1 }], cached, ComponentCatalog.Default)
            .Should().BeApproximately(one, 1e-12);
    }

    [Fact]
    public void Estimate_OfAPlanWithCachedFeatures_AddsTheirTimeOnceToTheCell()
    {
        CellCalibration cached = Calibration(Backdoored) with { CachedStages = 2, Prefix = new StepCost(0.1, 0.001) };
        ExperimentSpec[] specs = [Backdoored, Backdoored with { Repetition = 1, Seed = 1 }];

        PlanTimeEstimate plan = ExperimentTimeModel.Estimate(specs, [cached], ComponentCatalog.Default);

        plan.Seconds.Should().BeApproximately(
            specs.Sum(s => ExperimentTimeModel.Estimate(s, cached, ComponentCatalog.Default).Seconds) + ExperimentTimeModel.FeatureSeconds(specs, cached, ComponentCatalog.Default), 1e-9);
        ExperimentTimeModel.FeatureSeconds(specs, cached, ComponentCatalog.Default).Should().BeGreaterThan(0);
    }
}
