using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers BackdoorKit's services with a <see cref="IServiceCollection"/>.</summary>
public static class BackdoorKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds BackdoorKit's catalogs and default implementations as singletons, without replacing registrations made before
    /// and without duplicating its own when called again:
    /// every shipped <see cref="IPoisoner"/> (resolve one by name through <see cref="IPoisonerCatalog"/>, which also
    /// lists poisoners the application registers itself), every <see cref="IDatasetReader"/> (MNIST, CIFAR-10,
    /// TinyImageNet, image folders), the fixed <see cref="IFreezeStrategy"/> instances of
    /// <see cref="KnownFreezeStrategies.All"/>, the <see cref="IMetric"/> instances of <see cref="KnownMetrics.Standard"/>
    /// and the <see cref="IModelFactory"/> instances of <see cref="KnownModels.All"/>; and an <see cref="IExperimentRunner"/>
    /// (an <see cref="ExperimentRunner"/> configured by a registered <see cref="ExperimentRunnerOptions"/>, if any, and
    /// logging through the registered <see cref="ILoggerFactory"/>). Every <see cref="IMetric"/> the application registers
    /// beyond <see cref="KnownMetrics.Standard"/> (whose values every result holds anyway) joins the runner's
    /// <see cref="ExperimentRunnerOptions.Metrics"/>, so it is computed and stored with every experiment.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddBackdoorKit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddPoisoning(services);
        AddDatasetReaders(services);
        AddInstances(services, KnownFreezeStrategies.All);
        AddInstances(services, KnownMetrics.Standard);
        AddInstances(services, KnownModels.All);
        services.TryAddSingleton<IExperimentRunner>(provider => new ExperimentRunner(
            WithRegisteredMetrics(provider.GetService<ExperimentRunnerOptions>() ?? new ExperimentRunnerOptions(), provider.GetServices<IMetric>()),
            provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>Adds the registered metrics that are neither built into every result nor in the options already.</summary>
    private static ExperimentRunnerOptions WithRegisteredMetrics(ExperimentRunnerOptions options, IEnumerable<IMetric> registered)
    {
        IMetric[] added = [.. registered
            .Where(m => !KnownMetrics.Standard.Contains(m) && options.Metrics.All(o => o.Name != m.Name))
            .DistinctBy(m => m.Name)];
        return added.Length == 0 ? options : options with { Metrics = [.. options.Metrics, .. added] };
    }

    private static void AddPoisoning(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPoisoner, DirtyLabelPoisoner>());
        services.TryAddSingleton<IPoisonerCatalog, PoisonerCatalog>();
    }

    private static void AddDatasetReaders(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatasetReader, MnistReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatasetReader, Cifar10Reader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatasetReader, TinyImageNetReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatasetReader, ImageFolderReader>());
    }

    // Several shipped instances share one (internal) type, which TryAddEnumerable would collapse: compare instances.
    private static void AddInstances<TService>(IServiceCollection services, IEnumerable<TService> instances)
        where TService : class
    {
        foreach (TService instance in instances)
        {
            if (!services.Any(d => d.ServiceType == typeof(TService) && !d.IsKeyedService && ReferenceEquals(d.ImplementationInstance, instance)))
            {
                services.AddSingleton(instance);
            }
        }
    }
}
