using BackdoorKit.Experiments;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

public class ComputeEstimatorTests
{
    private static readonly ExperimentSpec Spec = SpecFixtures.SmallCnnOnMnist with
    {
        TrainLimit = 100,
        TestLimit = 10,
        Training = TrainingOptions.Default with { Epochs = 2 },
    };

    [Fact]
    public void Flop_CountsThreePassesPerTrainingSampleAndEpochPlusCleanAndTriggeredEvaluation()
    {
        // small-cnn: 0.137 GMAC at 224 px, MNIST's default input 64 px; 2 FLOP per MAC.
        double forward = 2e9 * 0.137 * (64 / 224.0) * (64 / 224.0);

        ComputeEstimator.Flop(Spec, ComponentCatalog.Default).Should().BeApproximately(forward * ((3.0 * 100 * 2) + (2 * 10)), 1);
        ComputeEstimator.Flop(Spec with { Trigger = null, PoisoningRate = 0 }, ComponentCatalog.Default).Should().BeApproximately(forward * ((3.0 * 100 * 2) + 10), 1);
    }

    [Fact]
    public void Flop_FollowsTheSpecsInputSizeQuadratically()
    {
        ComputeEstimator.Flop(Spec with { InputSize = 32 }, ComponentCatalog.Default).Should().BeApproximately(ComputeEstimator.Flop(Spec, ComponentCatalog.Default) / 4, 1);
    }

    [Fact]
    public void Flop_OfAnUnknownModel_FailsNamingIt()
    {
        Action act = () => ComputeEstimator.Flop(Spec with { Model = "resnet50" }, ComponentCatalog.Default);

        act.Should().Throw<ArgumentException>().WithMessage("*'resnet50'*small-cnn*");
    }
}
