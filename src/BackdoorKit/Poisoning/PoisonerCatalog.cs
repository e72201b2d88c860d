namespace BackdoorKit.Poisoning;

/// <summary>An <see cref="IPoisonerCatalog"/> over a fixed set of poisoners.</summary>
public sealed class PoisonerCatalog : IPoisonerCatalog
{
    private readonly Dictionary<string, IPoisoner> byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a catalog of the given poisoners (with dependency injection: every registered <see cref="IPoisoner"/>).</summary>
    /// <param name="poisoners">The poisoners; their names must be distinct.</param>
    /// <exception cref="ArgumentException">Two poisoners share a name.</exception>
    public PoisonerCatalog(IEnumerable<IPoisoner> poisoners)
    {
        ArgumentNullException.ThrowIfNull(poisoners);
        foreach (IPoisoner poisoner in poisoners)
        {
            if (!byName.TryAdd(poisoner.Name, poisoner))
            {
                throw new ArgumentException($"two poisoners are named '{poisoner.Name}'; names must be distinct.", nameof(poisoners));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => byName.Keys;

    /// <inheritdoc />
    public IPoisoner Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.TryGetValue(name, out IPoisoner? poisoner)
            ? poisoner
            : throw new ArgumentException($"poisoner '{name}' is unknown; allowed: {string.Join(", ", byName.Keys)}.", nameof(name));
    }
}
