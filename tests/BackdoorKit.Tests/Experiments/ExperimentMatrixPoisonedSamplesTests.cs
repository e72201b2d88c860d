using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Poisoning;

namespace BackdoorKit.Tests.Experiments;

/// <summary>Backdoored experiments must poison at least one training sample: floor(rate x samples) >= 1.</summary>
[Trait("Category", "Reliability")]
public class ExperimentMatrixPoisonedSamplesTests
{
    [Theory]
    [InlineData("tiny rate", "poisoningRates[0] 1E-09 poisons no sample of datasets[0] 'mnist' (60,000 training samples, its official training split; floor(rate x samples) = 0): the smallest rate that poisons one is 1.6666666666666667E-05")]
    [InlineData("small train limit", "poisoningRates[1] 0.005 poisons no sample of datasets[0] 'mnist' (150 training samples with trainLimit 150;*smallest rate that poisons one is 0.006666666666666667")]
    [InlineData("own input size", "poisoningRates[0] 1E-09 poisons no sample of datasets[0] 'mnist' (60,000 training samples, its official training split*")]
    [InlineData("cifar10 official size", "poisoningRates[0] 1.9E-05 poisons no sample of datasets[1] 'cifar10' (50,000 training samples*2E-05")]
    [InlineData("tinyimagenet official size", "poisoningRates[0] 5E-06 poisons no sample of datasets[0] 'tinyimagenet' (100,000 training samples*1E-05")]
    [InlineData("folder with a limit", "poisoningRates[0] 0.005 poisons no sample of datasets[0] 'folder' (100 training samples with trainLimit 100;*0.01")]
    [InlineData("freeze study", "freezeStudy.poisoningRates[0] 1E-06 poisons no sample of freezeStudy.datasets[0] 'mnist' (60,000*")]
    [InlineData("freeze study with the matrix's limit", "freezeStudy.poisoningRates[0] 0.005 poisons no sample of freezeStudy.datasets[0] 'mnist' (150 training samples with trainLimit 150*")]
    [InlineData("include block", "include[0].poisoningRates[0] 1E-09 poisons no sample of datasets[0] 'mnist'*")]
    public void Validate_RateThatPoisonsNoSample_NamesTheDatasetSizeAndTheSmallestRate(string problem, string message)
        => SmallMatrix.ShouldBeRejectedWith(Invalid(problem), message);

    [Fact]
    public void Validate_FolderWithoutALimit_AcceptsAnyRateSinceItsSizeIsUnknown()
    {
        ExperimentMatrix matrix = SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "folder" }], PoisoningRates = [1e-9] };

        Action act = () => matrix.Validate();

        act.Should().NotThrow();
    }

    [Fact]
    public void Validate_TheSmallestRateThatPoisonsOne_Passes()
    {
        ExperimentMatrix matrix = SmallMatrix.Valid with
        {
            Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = 150 }],
            PoisoningRates = [DirtyLabelPoisoner.SmallestPoisoningRate(150)],
        };

        Action act = () => matrix.Validate();

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(49)]
    [InlineData(150)]
    [InlineData(60_000)]
    [InlineData(int.MaxValue)]
    public void SmallestPoisoningRate_PoisonsOneAndTheNextSmallerDoubleNone(int samples)
    {
        double rate = DirtyLabelPoisoner.SmallestPoisoningRate(samples);

        DirtyLabelPoisoner.PoisonedCount(rate, samples).Should().Be(1);
        DirtyLabelPoisoner.PoisonedCount(Math.BitDecrement(rate), samples).Should().Be(0);
    }

    [Theory]
    [InlineData("mnist", 60_000, 10_000)]
    [InlineData("cifar10", 50_000, 10_000)]
    [InlineData("tinyimagenet", 100_000, 10_000)]
    public void KnownDatasets_CarryTheOfficialSplitSizes(string name, int train, int test)
    {
        DatasetDescriptor dataset = ComponentCatalog.Default.Datasets.Get(name);

        (dataset.TrainSplitSize, dataset.TestSplitSize).Should().Be((train, test));
        dataset.TrainSamples(null).Should().Be(train);
        dataset.TrainSamples(150).Should().Be(150);
        dataset.TrainSamples(1_000_000).Should().Be(train);
    }

    [Fact]
    public void Folder_HasUnknownSplitSizes()
    {
        DatasetDescriptor folder = KnownDatasets.Folder();

        (folder.TrainSplitSize, folder.TestSplitSize).Should().Be((null, null));
        folder.TrainSamples(null).Should().BeNull();
        folder.TrainSamples(150).Should().Be(150);
    }

    private static ExperimentMatrix Invalid(string problem) => problem switch
    {
        "tiny rate" => SmallMatrix.Valid with { PoisoningRates = [1e-9] },
        "small train limit" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = 150 }], PoisoningRates = [0.01, 0.005] },
        "own input size" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist", InputSize = 32 }], PoisoningRates = [1e-9] },
        "cifar10 official size" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist" }, new DatasetEntry { Name = "cifar10" }], PoisoningRates = [1.9e-5] },
        "tinyimagenet official size" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "tinyimagenet" }], PoisoningRates = [5e-6] },
        "folder with a limit" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "folder", TrainLimit = 100 }], PoisoningRates = [0.005] },
        "freeze study" => SmallMatrix.Valid with { FreezeStudy = new FreezeStudy { TriggerSizes = [0.08], PoisoningRates = [1e-6] } },
        "freeze study with the matrix's limit" => SmallMatrix.Valid with
        {
            Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = 150 }],
            PoisoningRates = [0.01],
            FreezeStudy = new FreezeStudy { Datasets = ["mnist"], TriggerSizes = [0.08], PoisoningRates = [0.005] },
        },
        "include block" => SmallMatrix.Valid with { Include = [SmallMatrix.Valid with { PoisoningRates = [1e-9] }] },
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such case"),
    };
}
