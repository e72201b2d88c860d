using BackdoorKit.Data;
using BackdoorKit.Defenses;
using BackdoorKit.Experiments;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers BackdoorKit's services with a <see cref="IServiceCollection"/>.</summary>
public static class BackdoorKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds BackdoorKit as singletons, without replacing registrations made before and without duplicating its own when
    /// called again:
    /// <list type="bullet">
    /// <item>a <see cref="ComponentCatalog"/>: <see cref="ComponentCatalog.Default"/> plus every
    /// <see cref="IModelFactory"/>, <see cref="IFreezeStrategy"/>, <see cref="ITriggerFactory"/>, <see cref="IPoisoner"/>,
    /// <see cref="IMetric"/>, <see cref="IDefense"/>, <see cref="DatasetDescriptor"/> and <see cref="StudyProtocol"/> the application registers
    /// (a registered component whose name a shipped one has fails when the catalog is resolved);</item>
    /// <item>an <see cref="IExperimentRunner"/>: an <see cref="ExperimentRunner"/> configured by a registered
    /// <see cref="ExperimentRunnerOptions"/>, if any, resolving names through that catalog and logging through the
    /// registered <see cref="ILoggerFactory"/>. Every registered <see cref="IMetric"/> beyond
    /// <see cref="KnownMetrics.Standard"/> (whose values every result holds anyway) joins its
    /// <see cref="ExperimentRunnerOptions.Metrics"/>, so it is computed and stored with every experiment.</item>
    /// </list>
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddBackdoorKit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(BuildCatalog);
        services.TryAddSingleton<IExperimentRunner>(provider =>
        {
            ExperimentRunnerOptions options = provider.GetService<ExperimentRunnerOptions>() ?? new ExperimentRunnerOptions();
            ComponentCatalog catalog = provider.GetRequiredService<ComponentCatalog>();
            options = options.Catalog == catalog ? options : options with { Catalog = catalog };
            return new ExperimentRunner(WithRegisteredMetrics(options, provider.GetServices<IMetric>()), provider.GetService<ILoggerFactory>());
        });
        return services;
    }

    /// <summary>The shipped catalog plus the application's components; shipped components registered again are skipped.</summary>
    private static ComponentCatalog BuildCatalog(IServiceProvider provider)
    {
        ComponentCatalog catalog = ComponentCatalog.Default;
        catalog = Registered(provider, catalog.Datasets).Aggregate(catalog, (c, d) => c.Add(d));
        catalog = Registered(provider, catalog.Models).Aggregate(catalog, (c, m) => c.Add(m));
        catalog = Registered(provider, catalog.FreezeStrategies).Aggregate(catalog, (c, s) => c.Add(s));
        catalog = Registered(provider, catalog.Protocols).Aggregate(catalog, (c, p) => c.Add(p));
        catalog = Registered(provider, catalog.Triggers).Aggregate(catalog, (c, t) => c.Add(t));
        catalog = Registered(provider, catalog.Poisoners).Aggregate(catalog, (c, p) => c.Add(p));
        catalog = Registered(provider, catalog.Defenses).Aggregate(catalog, (c, d) => c.Add(d));
        return Registered(provider, catalog.Metrics).Aggregate(catalog, (c, m) => c.Add(m));
    }

    private static IEnumerable<T> Registered<T>(IServiceProvider provider, ComponentSet<T> shipped)
        where T : class => provider.GetServices<T>().Where(r => !shipped.Knows(r)).Distinct(ReferenceEqualityComparer.Instance).Cast<T>();

    /// <summary>Adds the registered metrics that are neither built into every result nor in the options already.</summary>
    private static ExperimentRunnerOptions WithRegisteredMetrics(ExperimentRunnerOptions options, IEnumerable<IMetric> registered)
    {
        IMetric[] added = [.. registered
            .Where(m => !KnownMetrics.Standard.Contains(m) && options.Metrics.All(o => o.Name != m.Name))
            .DistinctBy(m => m.Name)];
        return added.Length == 0 ? options : options with { Metrics = [.. options.Metrics, .. added] };
    }
}
