namespace BackdoorKit.Poisoning;

/// <summary>The poisoners a host knows, by name; with dependency injection it holds every registered <see cref="IPoisoner"/>.</summary>
public interface IPoisonerCatalog
{
    /// <summary>Gets the known poisoners' names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Finds a poisoner by name (case-insensitive).</summary>
    /// <param name="name">The name, e.g. <c>dirty-label</c>.</param>
    /// <returns>The poisoner.</returns>
    /// <exception cref="ArgumentException">No poisoner has that name.</exception>
    IPoisoner Get(string name);
}
