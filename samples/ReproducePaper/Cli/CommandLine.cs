using System.Globalization;

namespace ReproducePaper.Cli;

/// <summary>
/// The parsed command line: a command word followed by <c>--name value</c> options, <c>--flag</c> switches and
/// options with several values (<c>--from A B C</c>, or repeated: <c>--sbatch-arg a --sbatch-arg b</c>). Every accessor
/// checks what it reads and throws
/// <see cref="UsageException"/> naming the option, the value and what is allowed.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);
    private readonly HashSet<string> repeated = new(StringComparer.Ordinal);

    private CommandLine(string command) => Command = command;

    /// <summary>Gets the command word.</summary>
    public string Command { get; }

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The process arguments.</param>
    /// <returns>The parsed command line.</returns>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("missing command; run 'ReproducePaper help' for the list of commands");
        }

        var line = new CommandLine(args[0]);
        string? current = null;
        for (int i = 1; i < args.Count; i++)
        {
            string token = args[i];
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                current = token[2..];
                if (!line.options.TryAdd(current, []))
                {
                    line.repeated.Add(current);
                }
            }
            else if (current is null)
            {
                throw new UsageException($"unexpected argument '{token}'; options start with --");
            }
            else
            {
                line.options[current].Add(token);
            }
        }

        return line;
    }

    /// <summary>Gets an option's single value, or null when the option is absent.</summary>
    /// <param name="name">The option name without dashes.</param>
    /// <returns>The value.</returns>
    public string? Optional(string name)
    {
        read.Add(name);
        RejectRepeated(name);
        if (!options.TryGetValue(name, out List<string>? values))
        {
            return null;
        }

        return values.Count != 1 ? throw new UsageException($"option --{name} needs exactly one value")
            : string.IsNullOrWhiteSpace(values[0]) ? throw new UsageException($"option --{name} needs a non-empty value")
            : values[0];
    }

    /// <summary>Gets an option's single value; throws when absent.</summary>
    /// <param name="name">The option name without dashes.</param>
    /// <returns>The value.</returns>
    public string Required(string name) => Optional(name) ?? throw new UsageException($"option --{name} is required");

    /// <summary>Gets all values of an option (empty when absent); the option may be repeated.</summary>
    /// <param name="name">The option name without dashes.</param>
    /// <returns>The values.</returns>
    public IReadOnlyList<string> Many(string name)
    {
        read.Add(name);
        return options.TryGetValue(name, out List<string>? values) ? values : [];
    }

    /// <summary>Tells whether a switch is present; a switch takes no value.</summary>
    /// <param name="name">The switch name without dashes.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Flag(string name)
    {
        read.Add(name);
        RejectRepeated(name);
        if (!options.TryGetValue(name, out List<string>? values))
        {
            return false;
        }

        return values.Count == 0 ? true : throw new UsageException($"option --{name} takes no value");
    }

    /// <summary>Reads an integer option within a range.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="fallback">The value when absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value.</returns>
    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new UsageException($"option --{name} must be an integer in [{min}, {max}]; got '{text}'");
    }

    /// <summary>Reads a number option within a range.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The value, or null when absent.</returns>
    public double? Double(string name, double min, double max)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new UsageException($"option --{name} must be a number in [{min}, {max}]; got '{text}'");
    }

    /// <summary>Reads an option whose value must be one of a list of words.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="fallback">The value when absent (null: required).</param>
    /// <param name="allowed">The allowed words.</param>
    /// <returns>The value, lower-cased.</returns>
    public string Choice(string name, string? fallback, params string[] allowed)
    {
        string? value = Optional(name)?.ToLowerInvariant() ?? fallback
            ?? throw new UsageException($"option --{name} is required; allowed: {string.Join(", ", allowed)}");
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"option --{name} '{value}' is not allowed; allowed: {string.Join(", ", allowed)}");
    }

    /// <summary>
    /// Reads a required option and parses it with a library parser; the parser's <see cref="ArgumentException"/>
    /// becomes a <see cref="UsageException"/> naming the option.
    /// </summary>
    /// <typeparam name="T">The parsed type.</typeparam>
    /// <param name="name">The option name without dashes.</param>
    /// <param name="parse">The parser, such as <c>TriggerColor.Parse</c>.</param>
    /// <returns>The parsed value.</returns>
    public T Parsed<T>(string name, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string text = Required(name);
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"option --{name}: {PlainMessage(e)}");
        }
    }

    /// <summary>Gets an argument exception's message without the "(Parameter 'x')" and "Actual value was" suffixes.</summary>
    /// <param name="e">The exception.</param>
    /// <returns>The message's first line.</returns>
    public static string PlainMessage(ArgumentException e) => BackdoorKit.ExceptionMessages.OneLine(e);

    /// <summary>Fails when the command line holds an option no accessor read: catches typos.</summary>
    public void RejectUnknown()
    {
        string? unknown = options.Keys.FirstOrDefault(k => !read.Contains(k));
        if (unknown is not null)
        {
            throw new UsageException($"unknown option --{unknown} for '{Command}'");
        }
    }

    private void RejectRepeated(string name)
    {
        if (repeated.Contains(name))
        {
            throw new UsageException($"option --{name} is given twice");
        }
    }
}
