using System.Collections;

namespace BackdoorKit.Experiments;

/// <summary>
/// The components of one kind a <see cref="ComponentCatalog"/> knows (models, freeze strategies, triggers, ...), found
/// by name, case-insensitively. Immutable; <see cref="ComponentCatalog"/>'s <c>Add</c> methods make extended copies.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
public sealed class ComponentSet<T> : IReadOnlyCollection<T>
    where T : class
{
    private readonly T[] items;
    private readonly Func<T, string> nameOf;
    private readonly string kind;
    private readonly NamePattern[] patterns;

    internal ComponentSet(string kind, Func<T, string> nameOf, IEnumerable<T> items, IEnumerable<NamePattern>? patterns = null)
    {
        this.kind = kind;
        this.nameOf = nameOf;
        this.patterns = [.. patterns ?? []];
        var list = new List<T>();
        foreach (T item in items)
        {
            list.Add(Checked(item, list));
        }

        this.items = [.. list];
    }

    /// <summary>Gets what the set holds, as messages name it (e.g. <c>freeze strategy</c>).</summary>
    public string Kind => kind;

    /// <summary>Gets the number of named components (families of names such as <c>freeze-first-&lt;k&gt;</c> not counted).</summary>
    public int Count => items.Length;

    /// <summary>
    /// Gets the names <see cref="Get"/> accepts, in the order the components were added, followed by the patterns of
    /// parameterised names (e.g. <c>freeze-first-&lt;k&gt;</c>).
    /// </summary>
    public IReadOnlyList<string> Names => [.. items.Select(nameOf), .. patterns.Select(p => p.Pattern)];

    /// <summary>Finds a component by name (case-insensitive), or by a parameterised name the set understands.</summary>
    /// <param name="name">The name, e.g. <c>resnet152</c>.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException">No component has that name; the message lists the known names.</exception>
    public T Get(string name) => TryGet(name, out T? component)
        ? component
        : throw new ArgumentException($"{kind} '{name}' is unknown; known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Finds a component by name (case-insensitive), or by a parameterised name the set understands.</summary>
    /// <param name="name">The name.</param>
    /// <param name="component">The component, when found.</param>
    /// <returns>Whether a component has that name.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? component)
    {
        ArgumentNullException.ThrowIfNull(name);
        component = items.FirstOrDefault(c => string.Equals(nameOf(c), name, StringComparison.OrdinalIgnoreCase))
            ?? patterns.Select(p => p.Parse(name)).FirstOrDefault(c => c is not null);
        return component is not null;
    }

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Gets whether the set already resolves the component's name to a component of the same type (a shipped one registered again).</summary>
    internal bool Knows(T component) => TryGet(nameOf(component), out T? known) && known.GetType() == component.GetType();

    /// <summary>Returns a copy with <paramref name="component"/> added after the existing ones.</summary>
    internal ComponentSet<T> Add(T component) => new(kind, nameOf, [.. items, Checked(component, items)], patterns);

    private T Checked(T component, IReadOnlyCollection<T> existing)
    {
        ArgumentNullException.ThrowIfNull(component);
        string name = nameOf(component);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"a {kind} must have a name; {component.GetType().Name} has none.", nameof(component));
        }

        if (existing.Any(c => string.Equals(nameOf(c), name, StringComparison.OrdinalIgnoreCase))
            || patterns.Any(p => p.Parse(name) is not null))
        {
            throw new ArgumentException($"the catalog already has a {kind} named '{name}'; names must be distinct.", nameof(component));
        }

        return component;
    }

    /// <summary>A family of names (e.g. <c>freeze-first-&lt;k&gt;</c>) and the parser that builds its members.</summary>
    /// <param name="Pattern">The family as shown in messages.</param>
    /// <param name="Parse">Builds the member a name stands for, or returns null when the name is not in the family.</param>
    internal sealed record NamePattern(string Pattern, Func<string, T?> Parse);
}
