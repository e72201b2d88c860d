using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Training;

public sealed class ModelTrainerTests : IDisposable
{
    private static readonly ModelInputTransform Transform = new(BarImages.Side, KnownNormalizations.ImageNet);
    private readonly ImageDataset bars = BarImages.Dataset(96);

    public void Dispose() => bars.Dispose();

    private static ModelTrainer Trainer(int epochs = 2) => new(
        TrainingOptions.Default with { Epochs = epochs, BatchSize = 32, LearningRate = 0.01 },
        new ComputeOptions { Device = "cpu" });

    [Fact]
    public void Train_LearnsTheBars_AndPredictsInSampleOrder()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        ModelTrainer trainer = Trainer(epochs: 3);
        var source = DatasetBatchSource.FromClean(bars, Transform);

        TrainingSummary summary = trainer.Train(model, source, seed: 1);
        long[] predictions = trainer.Predict(model, source);

        summary.Steps.Should().Be(9);
        double.IsFinite(summary.FinalLoss).Should().BeTrue();
        predictions.Should().HaveCount(96);
        predictions.Zip(bars.LabelArray()).Count(p => p.First == p.Second).Should().BeGreaterThanOrEqualTo(86, "the bars are easy");
        model.Module.training.Should().BeFalse();
    }

    [Fact]
    public void Train_RepeatedOutsideAnyDisposeScope_LeavesNoLiveTensorBehind()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        ModelTrainer trainer = Trainer(epochs: 1);
        var source = DatasetBatchSource.FromClean(bars, Transform);
        trainer.Train(model, source, seed: 1);
        trainer.Predict(model, source);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        trainer.Train(model, source, seed: 2);
        trainer.Predict(model, source);
        trainer.Train(model, source, seed: 3);

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Fact]
    public void Train_WithNaNInputs_ThrowsDivergedNamingEpochAndStep()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        var source = new PoisonedInputs(DatasetBatchSource.FromClean(bars, Transform), nanFromCall: 5);

        Action act = () => Trainer(epochs: 3).Train(model, source, seed: 1);

        act.Should().Throw<TrainingDivergedException>().WithMessage("*epoch 2, step 2 of 3*learning rate 0.01*");
        model.Module.training.Should().BeFalse();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Train_ReadingTheLossEveryNSteps_StillNamesTheStepThatDiverged(int interval)
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        var source = new PoisonedInputs(DatasetBatchSource.FromClean(bars, Transform), nanFromCall: 5);
        var trainer = new ModelTrainer(
            TrainingOptions.Default with { Epochs = 3, BatchSize = 32, LearningRate = 0.01 },
            new ComputeOptions { Device = "cpu", LossReadInterval = interval });

        Action act = () => trainer.Train(model, source, seed: 1);

        act.Should().Throw<TrainingDivergedException>().WithMessage("*epoch 2, step 2 of 3*");
    }

    [Fact]
    public void Train_CancelledDuringTraining_ThrowsAndLeavesTheModelInEvalMode()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        using var cancellation = new CancellationTokenSource();
        bool trainingDuringStep = false;
        int reports = 0;
        var progress = new SyncProgress(_ =>
        {
            reports++;
            trainingDuringStep = model.Module.training;
            cancellation.Cancel();
        });

        Action act = () => Trainer().Train(model, DatasetBatchSource.FromClean(bars, Transform), 1, progress, cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        reports.Should().Be(1);
        trainingDuringStep.Should().BeTrue();
        model.Module.training.Should().BeFalse();
    }

    [Fact]
    public void Train_WithCancelledToken_RunsNoStep()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        int reports = 0;

        Action act = () => Trainer().Train(
            model, DatasetBatchSource.FromClean(bars, Transform), 1, new SyncProgress(_ => reports++), new CancellationToken(canceled: true));

        act.Should().Throw<OperationCanceledException>();
        reports.Should().Be(0);
        model.Module.training.Should().BeFalse();
    }

    [Fact]
    public void Train_ReportsEveryStepInOrder_UntilTheFractionIsOne()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        using ImageDataset data = BarImages.Dataset(65); // 32 + 33: the lone last sample joins the second batch
        var reports = new List<TrainingProgress>();

        Trainer(epochs: 3).Train(model, DatasetBatchSource.FromClean(data, Transform), 1, new SyncProgress(reports.Add));

        reports.Select(r => (r.Epoch, r.Step)).Should().Equal((1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2));
        reports.Should().OnlyContain(r => r.Epochs == 3 && r.StepsPerEpoch == 2 && double.IsFinite(r.Loss) && r.Remaining >= TimeSpan.Zero);
        reports.Select(r => r.Fraction).Should().BeInAscendingOrder().And.OnlyContain(f => f > 0 && f <= 1);
        reports[^1].Fraction.Should().Be(1);
        reports[^1].Remaining.Should().Be(TimeSpan.Zero);
        reports.Select(r => r.Elapsed).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Train_WithEveryParameterFrozen_ThrowsNamingTheStrategy()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(
            10, ModelWeights.Random, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.FreezeFirst(11) });

        Action act = () => Trainer().Train(model, DatasetBatchSource.FromClean(bars, Transform), seed: 1);

        act.Should().Throw<InvalidOperationException>().WithMessage("*no trainable parameter*freeze-first-11*");
    }

    [Fact]
    public void Train_OnEmptyData_Throws()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        using ImageDataset empty = bars.Subset([]);

        Action act = () => Trainer().Train(model, DatasetBatchSource.FromClean(empty, Transform), seed: 1);

        act.Should().Throw<InvalidOperationException>().WithMessage("*no samples*");
    }

    [Theory]
    [InlineData(64, 32, new long[] { 32, 32 })]
    [InlineData(65, 32, new long[] { 32, 33 })]
    [InlineData(66, 32, new long[] { 32, 32, 2 })]
    [InlineData(33, 32, new long[] { 33 })]
    [InlineData(1, 32, new long[] { 1 })]
    [InlineData(5, 1, new long[] { 1, 1, 1, 1, 1 })]
    [InlineData(10, 128, new long[] { 10 })]
    public void BatchBounds_CoverEverySampleOnce_FoldingATrailingSingleSample(int count, int batchSize, long[] lengths)
    {
        IReadOnlyList<(long Start, long Length)> bounds = ModelTrainer.BatchBounds(count, batchSize);

        bounds.Select(b => b.Length).Should().Equal(lengths);
        bounds.Select(b => b.Start).Should().Equal(lengths.Select((_, i) => lengths.Take(i).Sum()));
    }

    /// <summary>Serves the inner source's batches, with NaN inputs from the given call on (one-based).</summary>
    private sealed class PoisonedInputs(IBatchSource inner, int nanFromCall) : IBatchSource
    {
        private int calls;

        public int Count => inner.Count;

        public Tensor Labels => inner.Labels;

        public (Tensor Inputs, Tensor Labels) GetBatch(Tensor indices, Device device, Random? augmentation)
        {
            (Tensor inputs, Tensor labels) = inner.GetBatch(indices, device, augmentation);
            return ++calls >= nanFromCall ? (inputs.fill_(float.NaN), labels) : (inputs, labels);
        }
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
