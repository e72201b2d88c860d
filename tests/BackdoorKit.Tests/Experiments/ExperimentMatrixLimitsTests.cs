using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Experiments;

/// <summary>The upper bounds of <see cref="ExperimentMatrixLimits"/>: counts, list lengths and the counted expanded size.</summary>
[Trait("Category", "Reliability")]
public class ExperimentMatrixLimitsTests
{
    private static readonly FreezeStudy Study = new() { TriggerSizes = [0.08], PoisoningRates = [0.01] };

    [Theory]
    [InlineData("huge repetitions", "repetitions 2000000000 is not in [1, 1000] (the limit)")]
    [InlineData("freeze study huge repetitions", "freezeStudy.repetitions 5000 is not in [1, 1000] (the limit)")]
    [InlineData("too many sizes", "triggerSizes has 1,001 entries, more than the limit of 1,000")]
    [InlineData("too many rates", "poisoningRates has 1,001 entries, more than the limit of 1,000")]
    [InlineData("too many dataset colors", "datasets[0].colors has 1,001 entries, more than the limit of 1,000")]
    [InlineData("too many freeze counts", "freezeStudy.freezeIndices has 1,001 entries, more than the limit of 1,000")]
    [InlineData("too many include blocks", "include has 1,001 blocks, more than the limit of 1,000")]
    [InlineData("huge train limit", "datasets[0].trainLimit 200000000 is not a positive count up to the limit of 100,000,000*")]
    [InlineData("huge test limit", "datasets[0].testLimit 2147483647 is not a positive count up to the limit of 100,000,000*")]
    [InlineData("include nested too deep", "include[0].include[0].include[0].include[0].include[0].include[0].include[0].include[0].include nests deeper than the limit of 8 blocks")]
    public void Validate_CountAboveItsLimit_ThrowsNamingTheEntryAndTheLimit(string problem, string message)
        => SmallMatrix.ShouldBeRejectedWith(Invalid(problem), message);

    [Fact]
    public void Validate_MatrixExpandingBeyondTheLimit_ThrowsBeforeExpanding()
    {
        // 100 sizes x 5 positions x 10 colors x 250 rates = 1,250,000 backdoored, plus 1 clean baseline.
        ExperimentMatrix matrix = Wide(colors: 10, rates: 250);

        Action act = () => matrix.Expand();

        act.Should().Throw<ExperimentMatrixException>()
            .WithMessage("$ expands to 1,250,001 experiments*more than the limit of 1,000,000*")
            .Which.Entry.Should().Be("$");
    }

    [Fact]
    public void Validate_BlocksAndFreezeStudyTogetherBeyondTheLimit_Throws()
    {
        // Each part alone stays below the limit: 600,000 + 1 clean in the matrix, 600,000 + 5 clean in its block
        // (one position, 5 repetitions), 1 x 15 x 1 x 1 x 5 in the freeze study.
        ExperimentMatrix half = Wide(colors: 6, rates: 200);
        half.Validate();
        ExperimentMatrix matrix = half with
        {
            Include = [half with { Name = "other", Positions = ["middle"], Repetitions = 5 }],
            FreezeStudy = Study with { Datasets = ["mnist"] },
        };

        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>().WithMessage("$ expands to 1,200,081 experiments*");
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("custom")]
    public void Size_OfAMatrixWithoutSharedExperiments_IsItsExpandedCount(string which)
    {
        ExperimentMatrix matrix = which == "paper"
            ? KnownMatrices.Paper
            : SmallMatrix.Valid with
            {
                Datasets = [new DatasetEntry { Name = "mnist", Colors = ["black"] }, new DatasetEntry { Name = "cifar10" }],
                Colors = ["white", "green"],
                Repetitions = 3,
                FreezeStudy = Study with { FreezeIndices = [0, 4], Repetitions = 2 },
                Include = [SmallMatrix.Valid with { Name = "block", TriggerSizes = [0.04], CleanBaselines = false }],
            };

        Int128 counted = ExperimentMatrixSize.Count(matrix) + ExperimentMatrixSize.Count(matrix.FreezeStudy!, matrix)
                         + matrix.Include.Sum(m => (int)ExperimentMatrixSize.Count(m));

        counted.Should().Be(matrix.Expand().All.Count);
    }

    /// <summary>100 sizes x 5 positions x <paramref name="colors"/> x <paramref name="rates"/>, one repetition, plus 1 clean baseline.</summary>
    private static ExperimentMatrix Wide(int colors, int rates) => SmallMatrix.Valid with
    {
        TriggerSizes = [.. Enumerable.Range(1, 100).Select(i => i / 100.0)],
        Positions = ["top-left", "top-right", "middle", "bottom-left", "bottom-right"],
        Colors = [.. Enumerable.Range(0, colors).Select(i => $"#0000{i:X2}")],
        PoisoningRates = SmallMatrix.Rates(rates),
    };

    private static ExperimentMatrix Invalid(string problem) => problem switch
    {
        "huge repetitions" => SmallMatrix.Valid with { Repetitions = 2_000_000_000 },
        "freeze study huge repetitions" => SmallMatrix.Valid with { FreezeStudy = Study with { Repetitions = 5000 } },
        "too many sizes" => SmallMatrix.Valid with { TriggerSizes = [.. Enumerable.Range(1, 1001).Select(i => i / 1001.0)] },
        "too many rates" => SmallMatrix.Valid with { PoisoningRates = SmallMatrix.Rates(1001).Select(r => r / 2).ToArray() },
        "too many dataset colors" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist", Colors = [.. Enumerable.Range(0, 1001).Select(i => $"#00{i >> 8:X2}{i & 255:X2}")] }] },
        "too many freeze counts" => SmallMatrix.Valid with { FreezeStudy = Study with { FreezeIndices = [.. Enumerable.Range(0, 1001)] } },
        "too many include blocks" => SmallMatrix.Valid with { Include = [.. Enumerable.Repeat(SmallMatrix.Valid, 1001)] },
        "huge train limit" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = 200_000_000 }] },
        "huge test limit" => SmallMatrix.Valid with { Datasets = [new DatasetEntry { Name = "mnist", TestLimit = int.MaxValue }] },
        "include nested too deep" => Enumerable.Range(0, 9).Aggregate(SmallMatrix.Valid, (inner, _) => SmallMatrix.Valid with { Include = [inner] }),
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such case"),
    };
}
