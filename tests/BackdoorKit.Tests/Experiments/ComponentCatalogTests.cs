using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Experiments;

public class ComponentCatalogTests
{
    [Fact]
    public void Default_ResolvesEveryShippedComponentByNameIgnoringCase()
    {
        ComponentCatalog catalog = ComponentCatalog.Default;

        catalog.Models.Get("ResNet152").Should().BeSameAs(KnownModels.ResNet152);
        catalog.Datasets.Get("CIFAR10").Should().BeSameAs(KnownDatasets.Cifar10);
        catalog.Protocols.Get("seed-code").Should().BeSameAs(KnownProtocols.SeedCode);
        catalog.FreezeStrategies.Get("linear-probe").Should().BeSameAs(KnownFreezeStrategies.LinearProbe);
        catalog.Triggers.Get("patch").Should().BeSameAs(KnownTriggerFactories.Patch);
        catalog.Poisoners.Get("dirty-label").Should().BeSameAs(KnownPoisoners.DirtyLabel);
        catalog.Metrics.Get("clean-accuracy").Should().BeSameAs(KnownMetrics.CleanAccuracy);
    }

    [Theory]
    [InlineData("freeze-first-7")]
    [InlineData("freeze-index-14")]
    [InlineData("train-last-2-stages")]
    public void FreezeStrategies_ParameterisedName_BuildsTheStrategyOfThatName(string name)
    {
        ComponentCatalog.Default.FreezeStrategies.Get(name).Name.Should().Be(name);
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingKindNameAndTheKnownNames()
    {
        Action act = () => ComponentCatalog.Default.FreezeStrategies.Get("freeze-most");

        act.Should().Throw<ArgumentException>()
            .WithMessage("freeze strategy 'freeze-most' is unknown; known: paper-text, seed-code, linear-probe, full, freeze-first-<k>, freeze-index-<j>, train-last-<k>-stages.*");
    }

    [Fact]
    public void Add_ReturnsAnExtendedCopyAndLeavesTheOriginalAsItWas()
    {
        var poisoner = new RenamedPoisoner("label-flip");

        ComponentCatalog extended = ComponentCatalog.Default.Add(poisoner);

        extended.Poisoners.Get("LABEL-FLIP").Should().BeSameAs(poisoner);
        extended.Poisoners.Names.Should().Equal("dirty-label", "clean-label", "wanet-noise", "label-flip");
        extended.Models.Should().BeSameAs(ComponentCatalog.Default.Models);
        ComponentCatalog.Default.Poisoners.TryGet("label-flip", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("Dirty-Label")]
    [InlineData("dirty-label")]
    public void Add_NameTheCatalogHas_ThrowsNamingIt(string name)
    {
        Action act = () => ComponentCatalog.Default.Add(new RenamedPoisoner(name));

        act.Should().Throw<ArgumentException>().WithMessage($"the catalog already has a poisoner named '{name}'*");
    }

    [Fact]
    public void Add_NameInAParameterisedFamily_Throws()
    {
        Action act = () => ComponentCatalog.Default.Add(new RenamedStrategy("freeze-first-2"));

        act.Should().Throw<ArgumentException>().WithMessage("the catalog already has a freeze strategy named 'freeze-first-2'*");
    }

    [Fact]
    public void Add_ComponentWithoutAName_Throws()
    {
        Action act = () => ComponentCatalog.Default.Add(new RenamedStrategy(" "));

        act.Should().Throw<ArgumentException>().WithMessage("a freeze strategy must have a name*");
    }

    [Fact]
    public void Expand_MatrixNamingACustomPoisonerAndTriggerFamily_StampsThemOnEverySpecWhenTheCatalogKnowsThem()
    {
        ComponentCatalog catalog = ComponentCatalog.Default.Add(new RenamedPoisoner("label-flip"));
        ExperimentMatrix matrix = SmallMatrix.Valid with { Poisoners = ["label-flip"], TriggerFamilies = ["checkerboard"] };

        ExperimentPlan plan = matrix.Expand(catalog);
        Action withoutIt = () => matrix.Validate();

        plan.Backdoored.Should().OnlyContain(s => s.Poisoner == "label-flip" && s.Trigger!.Family == "checkerboard");
        withoutIt.Should().Throw<ExperimentMatrixException>()
            .WithMessage("poisoners[0] 'label-flip' is not a known poisoner (known: dirty-label, clean-label, wanet-noise)").Which.Entry.Should().Be("poisoners[0]");
    }

    [Fact]
    public void Id_SpecWithoutPoisonerOrFamily_IsTheSameAsBeforeTheyExisted()
    {
        ExperimentSpec spec = SpecFixtures.SmallCnnOnMnist;

        ExperimentIds.CanonicalJson(spec).Should().NotContain("poisoner").And.NotContain("family");
        (spec with { Poisoner = "label-flip" }).Id.Should().NotBe(spec.Id);
        (spec with { Trigger = spec.Trigger! with { Family = "blend" } }).Id.Should().NotBe(spec.Id);
    }

    [Fact]
    public void For_ComponentObjects_GivesTheSpecOfTheirNames()
    {
        ExperimentSpec typed = ExperimentSpec.For(KnownDatasets.Mnist, KnownModels.SmallCnn, KnownFreezeStrategies.Full) with
        {
            Trigger = TriggerSpec.For(0.08, TriggerPosition.BottomRight, TriggerColor.White),
            PoisoningRate = 0.02,
        };

        typed.Should().Be(SpecFixtures.SmallCnnOnMnist);
        typed.Id.Should().Be(SpecFixtures.SmallCnnOnMnist.Id);
    }

    [Fact]
    public void Resolve_ASpec_GivesItsComponents_AndForGivesTheSpecBack()
    {
        ExperimentSpec spec = SpecFixtures.SmallCnnOnMnist with { Poisoner = "clean-label", Trigger = SpecFixtures.SmallCnnOnMnist.Trigger! with { Family = "sig" } };

        ExperimentSetup setup = ExperimentSetup.Resolve(spec, ComponentCatalog.Default);

        setup.Architecture.Should().BeSameAs(KnownModels.SmallCnn);
        setup.Freeze.Should().BeSameAs(KnownFreezeStrategies.Full);
        setup.Protocol.Should().BeSameAs(KnownProtocols.PaperText);
        setup.Poisoner.Should().BeSameAs(KnownPoisoners.CleanLabel);
        setup.Trigger.Should().BeOfType<SinusoidalTrigger>().Which.Options.Amplitude.Should().BeApproximately(0.08 * 255, 1e-9);
        setup.Dataset.InputSize.Should().Be(KnownDatasets.Mnist.InputSize);
        (ExperimentSpec.For(setup.Dataset, setup.Architecture, setup.Freeze, setup.Protocol) with
        {
            Trigger = spec.Trigger, PoisoningRate = spec.PoisoningRate, Poisoner = setup.Poisoner.Name,
        }).Id.Should().Be(spec.Id);
    }

    [Fact]
    public void TriggerSpecFor_AFamilyOfYourOwn_NamesIt()
    {
        TriggerSpec.For(0.3, TriggerPosition.Middle, TriggerColor.Black, new BlendFamily()).Should()
            .Be(new TriggerSpec(0.3, "middle", "#000000") { Family = "blend" });
        TriggerSpec.For(0.3, TriggerPosition.Middle, TriggerColor.Black, KnownTriggerFactories.Patch).Family.Should().BeNull();
    }

    private sealed class BlendFamily : ITriggerFactory
    {
        public string Name => "blend";

        public ITrigger Create(TriggerSpec trigger, StudyProtocol protocol) => throw new NotSupportedException();
    }

    private sealed class RenamedPoisoner(string name) : IPoisoner
    {
        public string Name => name;

        public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options) =>
            KnownPoisoners.DirtyLabel.Poison(clean, trigger, options);
    }

    private sealed class RenamedStrategy(string name) : IFreezeStrategy
    {
        public string Name => name;

        public bool KeepsBatchNormInEvalMode => false;

        public IReadOnlySet<string> SelectTrainable(BackdoorModel model) => new HashSet<string>();
    }
}
