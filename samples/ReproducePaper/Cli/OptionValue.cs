using System.Globalization;
using BackdoorKit;
using BackdoorKit.Training;
using Spectre.Console;

namespace ReproducePaper.Cli;

/// <summary>
/// Checks option values in the settings' <c>Validate()</c> overrides: each check throws a <see cref="UsageException"/>
/// that names the option, the value and what is allowed, and <see cref="Validate"/> turns the first one into the
/// <see cref="ValidationResult"/> Spectre.Console.Cli reports (exit code 2).
/// </summary>
internal static class OptionValue
{
    /// <summary>Runs checks and reports the first one that fails.</summary>
    /// <param name="checks">The checks; each throws a <see cref="UsageException"/> on a bad value.</param>
    /// <returns>Success, or an error with the failed check's message.</returns>
    public static ValidationResult Validate(Action checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        try
        {
            checks();
            return ValidationResult.Success();
        }
        catch (UsageException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }

    /// <summary>Parses a value with a library parser; the parser's <see cref="ArgumentException"/> becomes a message naming the option.</summary>
    /// <typeparam name="T">The parsed type.</typeparam>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="text">The value.</param>
    /// <param name="parse">The parser, such as <c>TriggerColor.Parse</c>.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="UsageException">The parser refused the value.</exception>
    public static T Parse<T>(string option, string text, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"option {option}: {ExceptionMessages.OneLine(e)}");
        }
    }

    /// <summary>Checks that an integer option, when given, lies in a range.</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="value">The value, or null when the option is absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <exception cref="UsageException">The value is out of range.</exception>
    public static void InRange(string option, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"option {option} must be an integer in [{min}, {max}]; got '{v}'"));
        }
    }

    /// <summary>Checks that an integer option, when given, is at least a bound.</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="value">The value, or null when the option is absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <exception cref="UsageException">The value is smaller.</exception>
    public static void AtLeast(string option, int? value, int min)
    {
        if (value < min)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"option {option} must be an integer >= {min}; got '{value}'"));
        }
    }

    /// <summary>Checks that a number option, when given, lies in a range (NaN does not).</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="value">The value, or null when the option is absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <exception cref="UsageException">The value is out of range.</exception>
    public static void InRange(string option, double? value, double min, double max)
    {
        if (value is { } v && !(v >= min && v <= max))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"option {option} must be a number in [{min}, {max}]; got '{v}'"));
        }
    }

    /// <summary>Checks that a value is one of a list of words (case-insensitive).</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="text">The value.</param>
    /// <param name="allowed">The allowed words, lower-case.</param>
    /// <returns>The value, lower-cased.</returns>
    /// <exception cref="UsageException">The value is not one of the words.</exception>
    public static string Choice(string option, string text, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(allowed);
        string value = text.ToLowerInvariant();
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"option {option} '{text}' is not allowed; allowed: {string.Join(", ", allowed)}");
    }

    /// <summary>Checks a device name: <c>auto</c>, or one that <see cref="ComputeOptions.Device"/> accepts (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>).</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="text">The value, or null when the option is absent.</param>
    /// <returns>The name, lower-cased, or null when absent.</returns>
    /// <exception cref="UsageException">The name is none of those.</exception>
    public static string? Device(string option, string? text)
    {
        string? device = text?.ToLowerInvariant();
        if (device is null or "auto")
        {
            return device;
        }

        try
        {
            return new ComputeOptions { Device = device }.Device;
        }
        catch (ArgumentException)
        {
            throw new UsageException($"option {option} '{text}' is not allowed; allowed: auto, cpu, cuda, cuda:N");
        }
    }

    /// <summary>Checks that an option comes only with another one it needs.</summary>
    /// <param name="option">The option, with its dashes.</param>
    /// <param name="given">Whether the option is given.</param>
    /// <param name="needs">What it needs, as the message says it (<c>--shards N</c>).</param>
    /// <param name="present">Whether that is present.</param>
    /// <exception cref="UsageException">The option is given without what it needs.</exception>
    public static void Needs(string option, bool given, string needs, bool present)
    {
        if (given && !present)
        {
            throw new UsageException($"option {option} needs {needs}");
        }
    }
}
