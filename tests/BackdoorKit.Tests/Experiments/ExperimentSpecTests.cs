using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

public class ExperimentSpecTests
{
    private static readonly ExperimentSpec Spec = new()
    {
        Dataset = "mnist",
        Model = "small-cnn",
        FreezeStrategy = "full",
        Protocol = "paper-text",
        Trigger = new TriggerSpec(0.08, "bottom-right", "#FFFFFF"),
        PoisoningRate = 0.02,
        Seed = 7,
    };

    [Fact]
    public void Id_IsSixteenHexDigits_AndStableAcrossInstances()
    {
        ExperimentSpec copy = Spec with { };

        Spec.Id.Should().MatchRegex("^[0-9a-f]{16}$");
        copy.Id.Should().Be(Spec.Id);
    }

    [Fact]
    public void Id_IsPinned_SoStoredResultsStayFindableAcrossVersions()
    {
        // Changing the canonical form orphans every stored result: this value must only change deliberately.
        ExperimentIds.CanonicalJson(Spec).Should().Be(
            "{\"dataset\":\"mnist\",\"freezeStrategy\":\"full\",\"model\":\"small-cnn\",\"poisoningRate\":0.02,\"protocol\":\"paper-text\"," +
            "\"repetition\":0,\"seed\":7,\"targetClass\":0,\"training\":{\"batchSize\":128,\"epochs\":20,\"evaluationBatchSize\":256," +
            "\"learningRate\":0.001,\"momentum\":0.9,\"optimizer\":\"adam\"},\"trigger\":{\"color\":\"#FFFFFF\",\"position\":\"bottom-right\"," +
            "\"size\":0.08},\"weights\":\"pretrained\"}");
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("rate")]
    [InlineData("trigger")]
    [InlineData("epochs")]
    public void Id_ChangesWhenAnyFactorChanges(string factor)
    {
        ExperimentSpec changed = factor switch
        {
            "seed" => Spec with { Seed = 8 },
            "rate" => Spec with { PoisoningRate = 0.01 },
            "trigger" => Spec with { Trigger = Spec.Trigger! with { Position = "middle" } },
            _ => Spec with { Training = Spec.Training with { Epochs = 2 } },
        };

        changed.Id.Should().NotBe(Spec.Id);
    }

    [Fact]
    public void Json_RoundTrips_ToAnEqualSpecWithTheSameId()
    {
        string json = JsonSerializer.Serialize(Spec, BackdoorKitJson.Options);
        ExperimentSpec back = JsonSerializer.Deserialize<ExperimentSpec>(json, BackdoorKitJson.Options)!;

        back.Should().BeEquivalentTo(Spec);
        back.Id.Should().Be(Spec.Id);
        json.Should().NotContain("\"id\"").And.NotContain("isClean");
    }

    [Fact]
    public void PoisoningRate_OutsideZeroToOne_FailsNamingTheParameterAndRange()
    {
        Action act = () => _ = Spec with { PoisoningRate = 1.5 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*PoisoningRate*[0, 1]*1.5*");
    }

    [Fact]
    public void TrainingOptions_InvalidValues_FailNamingTheParameterValueAndRange()
    {
        Action epochs = () => _ = new TrainingOptions { Epochs = 0 };
        Action rate = () => _ = new TrainingOptions { LearningRate = double.NaN };

        epochs.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Epochs*[1, 10000]*0*");
        rate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LearningRate*(0, 10]*NaN*");
    }
}
