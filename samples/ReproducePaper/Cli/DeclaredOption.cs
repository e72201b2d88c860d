using System.Reflection;
using Spectre.Console.Cli;

namespace ReproducePaper.Cli;

/// <summary>An option a settings class declares with <see cref="CommandOptionAttribute"/>: its long name and its property.</summary>
/// <param name="Name">The long name with its dashes, e.g. <c>--out</c>.</param>
/// <param name="Property">The settings property that holds its value.</param>
internal sealed record DeclaredOption(string Name, PropertyInfo Property)
{
    /// <summary>Gets a value indicating whether the option may be given more than once (an array property).</summary>
    public bool Repeatable => Property.PropertyType.IsArray;

    /// <summary>Gets the type of the option's value: the property's type, without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>Gets the options of a settings class, its base classes' included.</summary>
    /// <param name="settingsType">The settings class.</param>
    /// <returns>The options.</returns>
    public static IReadOnlyList<DeclaredOption> Of(Type settingsType)
    {
        ArgumentNullException.ThrowIfNull(settingsType);
        return [.. settingsType.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(p => p.Attribute is { LongNames.Count: > 0 })
            .Select(p => new DeclaredOption($"--{p.Attribute!.LongNames[0]}", p.Property))];
    }

    /// <summary>Tells whether a command-line token names this option: <c>--out</c>, or <c>--out=VALUE</c> / <c>--out:VALUE</c>.</summary>
    /// <param name="token">The token.</param>
    /// <returns>Whether it names the option.</returns>
    public bool IsNamedBy(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token == Name
            || (token.Length > Name.Length && token.StartsWith(Name, StringComparison.Ordinal) && token[Name.Length] is '=' or ':');
    }

    /// <summary>Gets the option's values in a settings object: none when unset, several for a repeatable option.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The values as text.</returns>
    public IEnumerable<string> TextValues(CommandSettings settings) => Property.GetValue(settings) switch
    {
        string text => [text],
        string[] texts => texts,
        _ => [],
    };
}
