using BackdoorKit.Poisoning;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers BackdoorKit's services with a <see cref="IServiceCollection"/>.</summary>
public static class BackdoorKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds BackdoorKit's catalogs and default implementations as singletons, without replacing registrations made before:
    /// every shipped <see cref="IPoisoner"/> (resolve one by name through <see cref="IPoisonerCatalog"/>, which also
    /// lists poisoners the application registers itself).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddBackdoorKit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddPoisoning(services);
        return services;
    }

    private static void AddPoisoning(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPoisoner, DirtyLabelPoisoner>());
        services.TryAddSingleton<IPoisonerCatalog, PoisonerCatalog>();
    }
}
