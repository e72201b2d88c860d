using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Training;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Training;

[Collection(GlobalTorchStateCollection.Name)]
public sealed class ModelTrainerDeterminismTests : IDisposable
{
    private static readonly ModelInputTransform Transform = new(BarImages.Side, KnownNormalizations.ImageNet);
    private readonly ImageDataset bars = BarImages.Dataset(80);

    public void Dispose() => bars.Dispose();

    [Fact]
    public void Train_SameSeedsAndThreads_GiveBitIdenticalWeights()
    {
        (Dictionary<string, Tensor> first, TrainingSummary firstSummary) = TrainOnce(initSeed: 7, trainSeed: 1);
        (Dictionary<string, Tensor> second, TrainingSummary secondSummary) = TrainOnce(initSeed: 7, trainSeed: 1);
        try
        {
            secondSummary.FinalLoss.Should().Be(firstSummary.FinalLoss);
            second.Keys.Should().Equal(first.Keys);
            first.Keys.Where(k => !Same(first[k], second[k])).Should().BeEmpty();
        }
        finally
        {
            DisposeAll(first, second);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(50)]
    public void Train_ReadingTheLossEveryNSteps_GivesTheSameBitsAsReadingItEveryStep(int interval)
    {
        (Dictionary<string, Tensor> everyStep, TrainingSummary everyStepSummary) = TrainOnce(initSeed: 7, trainSeed: 1);
        (Dictionary<string, Tensor> deferred, TrainingSummary deferredSummary) = TrainOnce(initSeed: 7, trainSeed: 1, interval);
        try
        {
            deferredSummary.FinalLoss.Should().Be(everyStepSummary.FinalLoss);
            everyStep.Keys.Where(k => !Same(everyStep[k], deferred[k])).Should().BeEmpty();
        }
        finally
        {
            DisposeAll(everyStep, deferred);
        }
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(7, 2)]
    public void Train_AnotherInitialisationOrBatchOrderSeed_GivesOtherWeights(int initSeed, int trainSeed)
    {
        (Dictionary<string, Tensor> reference, TrainingSummary referenceSummary) = TrainOnce(initSeed: 7, trainSeed: 1);
        (Dictionary<string, Tensor> other, TrainingSummary otherSummary) = TrainOnce(initSeed, trainSeed);
        try
        {
            otherSummary.FinalLoss.Should().NotBe(referenceSummary.FinalLoss);
            Same(other["fc.weight"], reference["fc.weight"]).Should().BeFalse();
        }
        finally
        {
            DisposeAll(reference, other);
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b).all();
        return a.shape.SequenceEqual(b.shape) && equal.item<bool>();
    }

    private static void DisposeAll(params Dictionary<string, Tensor>[] states)
    {
        foreach (Tensor t in states.SelectMany(s => s.Values))
        {
            t.Dispose();
        }
    }

    private (Dictionary<string, Tensor> State, TrainingSummary Summary) TrainOnce(int initSeed, int trainSeed, int? lossReadInterval = null)
    {
        manual_seed(initSeed);
        using BackdoorModel model = KnownModels.SmallCnn.Create(10, ModelWeights.Random);
        var trainer = new ModelTrainer(
            TrainingOptions.Default with { Epochs = 2, BatchSize = 16, LearningRate = 0.01 },
            new ComputeOptions { Device = "cpu", LossReadInterval = lossReadInterval });
        TrainingSummary summary = trainer.Train(model, DatasetBatchSource.FromClean(bars, Transform), trainSeed);
        var state = model.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
        return (state, summary);
    }
}
