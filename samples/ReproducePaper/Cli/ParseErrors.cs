using System.Text.RegularExpressions;
using BackdoorKit;
using Spectre.Console.Cli;

namespace ReproducePaper.Cli;

/// <summary>
/// Words Spectre.Console.Cli's parse and binding errors the way the program's own errors read: the option with its
/// dashes, the value, and where to look (<c>ReproducePaper COMMAND --help</c>). A message it does not know (such as a
/// failed <c>Validate()</c>, which is already in that form) passes through on one line.
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>Describes a parse or binding error in one line.</summary>
    /// <param name="exception">What the parser threw.</param>
    /// <param name="args">The arguments the parser read (<see cref="CommandLineArguments.Normalize"/>).</param>
    /// <returns>The message.</returns>
    public static string Describe(CommandAppException exception, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(args);
        string command = args.Count > 0 ? args[0] : string.Empty;
        string message = exception.Message;
        if (UnexpectedOption().IsMatch(message))
        {
            return $"missing command before '{command}'; 'ReproducePaper help' lists the commands";
        }

        if (UnknownCommand().Match(message) is { Success: true } word)
        {
            string token = word.Groups["token"].Value;
            return token == command
                ? $"unknown command '{token}'; 'ReproducePaper help' lists the commands"
                : $"unexpected argument '{token}' for '{command}'; options start with --";
        }

        if (NoValue().Match(message) is { Success: true } empty)
        {
            return $"option --{empty.Groups["name"].Value} needs a value";
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return $"option --{missing.Groups["name"].Value} is required; 'ReproducePaper {command} --help' lists its options";
        }

        if (InvalidLongName().IsMatch(message))
        {
            string? bad = args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2 && !LongOption().IsMatch(a));
            return $"invalid option name{(bad is null ? string.Empty : $" '{bad}'")}: a long option is -- and two or more letters, digits, '-' or '_', not starting with a digit";
        }

        if (FlagWithValue().IsMatch(message))
        {
            return $"{SwitchWithValue(args)} takes no value: a switch is on when given";
        }

        if (ConversionFailed().Match(message) is { Success: true } conversion)
        {
            string value = conversion.Groups["value"].Value;
            return NumericOptionWithValue(args, value) is { } option
                ? $"option {option.Name} '{value}' is not {(option.ValueType == typeof(int) ? "an integer" : "a number")}"
                : $"'{value}' is not a number";
        }

        return ExceptionMessages.OneLine(exception);
    }

    /// <summary>Finds the first numeric option of the command given <paramref name="value"/> (the parser converts in that order).</summary>
    private static DeclaredOption? NumericOptionWithValue(IReadOnlyList<string> args, string value)
    {
        DeclaredOption[] numeric = [.. CommandCatalog.OptionsOf(args).Where(o => o.ValueType == typeof(int) || o.ValueType == typeof(double))];
        for (int i = 1; i < args.Count; i++)
        {
            DeclaredOption? option = numeric.FirstOrDefault(o =>
                (args[i] == o.Name && i + 1 < args.Count && args[i + 1] == value)
                || args[i] == $"{o.Name}={value}" || args[i] == $"{o.Name}:{value}");
            if (option is not null)
            {
                return option;
            }
        }

        return null;
    }

    /// <summary>Finds the switch given a value (<c>--json=yes</c>).</summary>
    private static string SwitchWithValue(IReadOnlyList<string> args) =>
        CommandCatalog.OptionsOf(args).FirstOrDefault(o => o.ValueType == typeof(bool) && args.Any(a => a != o.Name && o.IsNamedBy(a))) is { } option
            ? $"option {option.Name}"
            : "a switch";

    [GeneratedRegex("^Unexpected option '")]
    private static partial Regex UnexpectedOption();

    [GeneratedRegex("^Unknown command '(?<token>.*)'\\.$")]
    private static partial Regex UnknownCommand();

    [GeneratedRegex("^Option '(?<name>[^']+)' is defined but no value has been provided")]
    private static partial Regex NoValue();

    [GeneratedRegex("missing required (?:argument|option) '(?<name>[^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("^Invalid long option name")]
    private static partial Regex InvalidLongName();

    [GeneratedRegex("^--[^\\W\\d][\\w-]+(?:[=:].*)?$", RegexOptions.Singleline)]
    private static partial Regex LongOption();

    [GeneratedRegex("^Flags cannot be assigned a value")]
    private static partial Regex FlagWithValue();

    [GeneratedRegex("^Failed to convert '(?<value>.*)' to ")]
    private static partial Regex ConversionFailed();
}
