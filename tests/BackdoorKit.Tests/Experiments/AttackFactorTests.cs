using BackdoorKit.Experiments;
using BackdoorKit.Poisoning;

namespace BackdoorKit.Tests.Experiments;

/// <summary>Trigger families, poisoners and label modes as matrix factors.</summary>
public class AttackFactorTests
{
    private static readonly ExperimentMatrix TwoPositionsTwoColors = SmallMatrix.Valid with
    {
        Positions = ["top-left", "bottom-right"],
        Colors = ["#FFFFFF", "#000000"],
        CleanBaselines = false,
    };

    [Fact]
    public void Expand_Defaults_GiveThePaperSpecsWithNoFamilyPoisonerOrLabelMode()
    {
        ExperimentPlan plan = TwoPositionsTwoColors.Expand();

        plan.Backdoored.Should().HaveCount(4).And.OnlyContain(
            s => s.Trigger!.Family == null && s.Poisoner == null && s.LabelMode == LabelMode.AllToOne);
        plan.Backdoored.Select(ExperimentIds.CanonicalJson).Should().OnlyContain(json => !json.Contains("labelMode", StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_FamiliesPoisonersAndLabelModes_AreCrossedAndWholeImageFamiliesSkipPositionsAndColors()
    {
        ExperimentMatrix matrix = TwoPositionsTwoColors with
        {
            TriggerFamilies = ["patch", "blend"],
            Poisoners = ["dirty-label"],
            LabelModes = [LabelMode.AllToOne, LabelMode.AllToAll],
        };

        ExperimentPlan plan = matrix.Expand();

        plan.Backdoored.Should().HaveCount((4 + 1) * 2, "patch: 2 positions x 2 colors; blend: one of each; x 2 label modes");
        plan.Backdoored.Where(s => s.Trigger!.Family == "blend").Should().OnlyContain(s => s.Trigger!.Position == "none" && s.Trigger.Color == "none");
        plan.Backdoored.Count(s => s.LabelMode == LabelMode.AllToAll).Should().Be(5);
        plan.Backdoored.Select(s => s.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Expand_FreezeStudy_SweepsTheFamiliesToo()
    {
        ExperimentMatrix matrix = SmallMatrix.Valid with
        {
            TriggerFamilies = ["patch", "sig"],
            FreezeStudy = new FreezeStudy
            {
                Datasets = ["mnist"], Model = "small-cnn", FreezeIndices = [0], TriggerSizes = [0.08], PoisoningRates = [0.01], Repetitions = 1,
            },
        };

        matrix.Expand().FreezeStudy.Select(s => s.Trigger!.Family).Should().BeEquivalentTo([null, "sig"]);
    }

    [Fact]
    public void Validate_AllToAllWithAPoisonerThatKeepsLabels_IsRejectedNamingBoth() =>
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { Poisoners = ["dirty-label", "clean-label"], LabelModes = [LabelMode.AllToAll] },
            "labelModes[0] 'allToAll' is not supported by poisoners[1] 'clean-label'; give that poisoner its own block");

    [Fact]
    public void Validate_APoisonerThatCannotUseAFamilysTrigger_IsRejectedNamingBoth() =>
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { TriggerFamilies = ["wanet", "patch"], Poisoners = ["wanet-noise"] },
            "poisoners[0] 'wanet-noise' cannot poison with triggerFamilies[1] 'patch' (patch(*)); give them separate blocks");

    [Fact]
    public void Validate_TwoNamesForOneTrigger_AreRejected() =>
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { TriggerFamilies = ["sig", "sig-6"] },
            "triggerFamilies[1] 'sig-6' draws the same trigger as triggerFamilies[0] (sig(amplitude=*,frequency=6,canvas=model-input)); list it once");

    [Fact]
    public void Read_AnUnknownLabelMode_NamesTheEntryAndTheKnownModes()
    {
        using var directory = new Data.Fixtures.TempDirectory();
        string path = directory.Combine("matrix.json");
        File.WriteAllText(path, SmallMatrix.Json("\"labelModes\": [\"allToOne\", \"all-to-all\"]"));

        Action act = () => ExperimentMatrix.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*: not a valid experiment matrix: labelModes[1] is not a label mode (known: allToOne, allToAll)");
    }

    [Fact]
    public void Validate_UnknownFamily_IsRejectedWithTheKnownOnes() =>
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { TriggerFamilies = ["patch", "glitter"] },
            "triggerFamilies[1] 'glitter' is not a known trigger family (known: patch, checkerboard, blend, sig, wanet, sig-<periods>, wanet-<grid>)");

    [Fact]
    public void Expand_ParameterisedFamilies_SweepSigFrequencyAndWaNetGridByName()
    {
        ExperimentMatrix matrix = SmallMatrix.Valid with { TriggerFamilies = ["sig-3", "SIG-12", "wanet-8"], TriggerSizes = [0.5], CleanBaselines = false };

        ExperimentPlan plan = matrix.Expand();
        BackdoorKit.Triggers.ITrigger[] triggers = [.. plan.Backdoored.Select(s => ComponentCatalog.Default.Triggers.Get(s.Trigger!.Family!).Create(s.Trigger, BackdoorKit.Protocols.KnownProtocols.PaperText))];

        triggers.Select(t => t.Description).Should().Equal(
            "sig(amplitude=127.5,frequency=3,canvas=model-input)",
            "sig(amplitude=127.5,frequency=12,canvas=model-input)",
            "wanet(strength=0.5,grid=8,seed=0,canvas=model-input)");
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { TriggerFamilies = ["sig-0"] },
            "triggerFamilies[0] 'sig-0' is not a known trigger family (known: patch, checkerboard, blend, sig, wanet, sig-<periods>, wanet-<grid>)");
    }

    [Fact]
    public void Validate_EmptyOrRepeatedFactor_IsRejected()
    {
        SmallMatrix.ShouldBeRejectedWith(SmallMatrix.Valid with { Poisoners = [] }, "poisoners is empty; give at least one value");
        SmallMatrix.ShouldBeRejectedWith(
            SmallMatrix.Valid with { LabelModes = [LabelMode.AllToAll, LabelMode.AllToAll] }, "labelModes[1] 'allToAll' repeats labelModes[0]");
    }

    [Fact]
    public void Read_LabelModesInJson_AreCamelCaseNames()
    {
        using var directory = new Data.Fixtures.TempDirectory();
        string path = directory.Combine("matrix.json");
        File.WriteAllText(path, SmallMatrix.Json("""
            "triggerSizes": [0.08], "positions": ["middle"], "colors": ["#FFFFFF"], "poisoningRates": [0.01], "repetitions": 1,
            "triggerFamilies": ["wanet"], "labelModes": ["allToAll"]
            """));

        ExperimentMatrix matrix = ExperimentMatrix.Load(path);

        matrix.Expand().Backdoored.Should().ContainSingle().Which.Should().Match<ExperimentSpec>(
            s => s.LabelMode == LabelMode.AllToAll && s.Trigger!.Family == "wanet");
    }

    [Fact]
    public void Id_AllToAll_DiffersFromAllToOne_WhoseIdIsUnchanged()
    {
        ExperimentSpec spec = SpecFixtures.SmallCnnOnMnist;

        (spec with { LabelMode = LabelMode.AllToOne }).Id.Should().Be(spec.Id);
        (spec with { LabelMode = LabelMode.AllToAll }).Id.Should().NotBe(spec.Id);
        ExperimentIds.CanonicalJson(spec with { LabelMode = LabelMode.AllToAll }).Should().Contain("\"labelMode\":\"allToAll\"");
    }
}
