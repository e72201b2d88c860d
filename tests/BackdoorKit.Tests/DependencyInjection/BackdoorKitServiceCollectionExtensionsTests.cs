using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace BackdoorKit.Tests.DependencyInjection;

public class BackdoorKitServiceCollectionExtensionsTests
{
    [Fact]
    public void AddBackdoorKit_ResolvesAnExperimentRunnerWithTheRegisteredOptions()
    {
        var options = new ExperimentRunnerOptions { DataRoot = "datasets" };
        using ServiceProvider provider = new ServiceCollection().AddSingleton(options).AddBackdoorKit().BuildServiceProvider();

        provider.GetRequiredService<IExperimentRunner>().Should().BeOfType<ExperimentRunner>()
            .Which.Options.Should().BeSameAs(options);
    }

    [Fact]
    public void AddBackdoorKit_WithAnApplicationMetric_HasTheRunnerRecordItWithEveryExperiment()
    {
        var options = new ExperimentRunnerOptions { DataRoot = "datasets" };
        var own = new NamedMetric("own");
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton(options).AddSingleton<IMetric>(own).AddBackdoorKit().BuildServiceProvider();

        ExperimentRunnerOptions used = provider.GetRequiredService<IExperimentRunner>().Should().BeOfType<ExperimentRunner>().Which.Options;

        used.Metrics.Should().Equal(own);
        used.DataRoot.Should().Be("datasets");
    }

    [Fact]
    public void AddBackdoorKit_WithoutApplicationComponents_ResolvesTheDefaultCatalogForTheRunner()
    {
        using ServiceProvider provider = new ServiceCollection().AddBackdoorKit().BuildServiceProvider();

        provider.GetRequiredService<ComponentCatalog>().Should().BeSameAs(ComponentCatalog.Default);
        provider.GetRequiredService<IExperimentRunner>().Should().BeOfType<ExperimentRunner>()
            .Which.Options.Catalog.Should().BeSameAs(ComponentCatalog.Default);
    }

    [Fact]
    public void AddBackdoorKit_CalledTwiceWithApplicationComponents_BuildsOneCatalogThatKnowsThemAndTheShippedOnes()
    {
        var poisoner = new NamedPoisoner();
        IFreezeStrategy freeze = KnownFreezeStrategies.FreezeFirst(3);
        var services = new ServiceCollection();
        services.AddSingleton<IPoisoner>(poisoner).AddSingleton(freeze).AddSingleton<IPoisoner>(KnownPoisoners.DirtyLabel);

        services.AddBackdoorKit().AddBackdoorKit();
        using ServiceProvider provider = services.BuildServiceProvider();
        ComponentCatalog catalog = provider.GetRequiredService<ComponentCatalog>();

        catalog.Poisoners.Names.Should().Equal("dirty-label", "clean-label", "wanet-noise", "custom");
        catalog.Poisoners.Get("Custom").Should().BeSameAs(poisoner);
        catalog.Models.Should().Equal(KnownModels.All);
        ((ExperimentRunner)provider.GetRequiredService<IExperimentRunner>()).Options.Catalog.Should().BeSameAs(catalog);
    }

    [Fact]
    public void AddBackdoorKit_ApplicationComponentNamedLikeAShippedOne_FailsWhenTheCatalogIsResolved()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<IFreezeStrategy>(new RenamedStrategy("paper-text")).AddBackdoorKit().BuildServiceProvider();

        Action act = () => provider.GetRequiredService<ComponentCatalog>();

        act.Should().Throw<ArgumentException>().WithMessage("*freeze strategy named 'paper-text'*");
    }

    [Fact]
    public void AddBackdoorKit_NullServices_Throws()
    {
        Action act = () => BackdoorKitServiceCollectionExtensions.AddBackdoorKit(null!);

        act.Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "services");
    }

    private sealed class RenamedStrategy(string name) : IFreezeStrategy
    {
        public string Name => name;

        public bool KeepsBatchNormInEvalMode => false;

        public IReadOnlySet<string> SelectTrainable(BackdoorModel model) => new HashSet<string>();
    }

    private sealed class NamedPoisoner : IPoisoner
    {
        public string Name => "custom";

        public PoisonedDataset Poison(ImageDataset clean, ITrigger trigger, PoisoningOptions options) =>
            throw new NotSupportedException();
    }

    private sealed class NamedMetric(string name) : IMetric
    {
        public string Name => name;

        public double Compute(EvaluationOutcome outcome) => outcome.CleanPredictions.Count;
    }
}
