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
    public void AddBackdoorKit_ResolvesTheDirtyLabelPoisonerAndItsCatalog()
    {
        using ServiceProvider provider = new ServiceCollection().AddBackdoorKit().BuildServiceProvider();

        provider.GetRequiredService<IPoisoner>().Should().BeOfType<DirtyLabelPoisoner>();
        IPoisonerCatalog catalog = provider.GetRequiredService<IPoisonerCatalog>();
        catalog.Names.Should().Equal("dirty-label");
        catalog.Get("Dirty-Label").Should().BeSameAs(provider.GetRequiredService<IPoisoner>());
    }

    [Fact]
    public void AddBackdoorKit_CalledTwiceWithAnApplicationPoisoner_KeepsOneOfEachAndListsBoth()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IPoisoner, NamedPoisoner>();

        services.AddBackdoorKit().AddBackdoorKit();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetServices<IPoisoner>().Should().HaveCount(2);
        provider.GetRequiredService<IPoisonerCatalog>().Names.Should().BeEquivalentTo("custom", "dirty-label");
    }

    [Fact]
    public void AddBackdoorKit_ResolvesEveryDatasetReaderFreezeStrategyMetricAndModelFactory()
    {
        using ServiceProvider provider = new ServiceCollection().AddBackdoorKit().BuildServiceProvider();

        provider.GetServices<IDatasetReader>().Select(r => r.Name).Should().Equal("mnist", "cifar10", "tinyimagenet", "folder");
        provider.GetServices<IFreezeStrategy>().Should().Equal(KnownFreezeStrategies.All);
        provider.GetServices<IMetric>().Should().Equal(KnownMetrics.Standard);
        provider.GetServices<IModelFactory>().Should().Equal(KnownModels.All);
        provider.GetServices<IModelFactory>().Select(m => m.Name).Should().Contain(["resnet152", "small-cnn"]);
    }

    [Fact]
    public void AddBackdoorKit_CalledTwice_RegistersEachCatalogEntryOnceAndKeepsApplicationEntries()
    {
        var services = new ServiceCollection();
        services.AddSingleton(KnownFreezeStrategies.FreezeFirst(3));

        services.AddBackdoorKit().AddBackdoorKit();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetServices<IDatasetReader>().Should().HaveCount(4);
        provider.GetServices<IFreezeStrategy>().Select(s => s.Name)
            .Should().Equal("freeze-first-3", "paper-text", "seed-code", "linear-probe", "full");
        provider.GetServices<IMetric>().Should().HaveCount(KnownMetrics.Standard.Count);
        provider.GetServices<IModelFactory>().Should().HaveCount(KnownModels.All.Count);
    }

    [Fact]
    public void AddBackdoorKit_NullServices_Throws()
    {
        Action act = () => BackdoorKitServiceCollectionExtensions.AddBackdoorKit(null!);

        act.Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "services");
    }

    [Fact]
    public void Catalog_UnknownName_ThrowsListingKnownNames()
    {
        Action act = () => KnownPoisoners.Catalog.Get("clean-label");

        act.Should().Throw<ArgumentException>().WithMessage("*'clean-label'*dirty-label*");
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
