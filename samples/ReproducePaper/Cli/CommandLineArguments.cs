namespace ReproducePaper.Cli;

/// <summary>
/// Prepares the process arguments for the parser: <c>help [COMMAND]</c> becomes <c>[COMMAND] --help</c>, and several
/// values after one repeatable option (<c>--from A B C</c>, as a shell glob expands) become one option each
/// (<c>--from A --from B --from C</c>), the form Spectre.Console.Cli reads.
/// </summary>
internal static class CommandLineArguments
{
    /// <summary>Normalizes the arguments.</summary>
    /// <param name="args">The process arguments.</param>
    /// <returns>The arguments for the parser.</returns>
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && args[0] == "help")
        {
            return [.. args.Skip(1), "--help"];
        }

        DeclaredOption[] repeatable = [.. CommandCatalog.OptionsOf(args).Where(o => o.Repeatable)];
        var result = new List<string>(args.Count);
        DeclaredOption? current = null;
        bool hasValue = false;
        foreach (string token in args)
        {
            if (IsOption(token))
            {
                current = repeatable.FirstOrDefault(o => o.IsNamedBy(token));
                hasValue = current is not null && token != current.Name;
            }
            else if (current is not null)
            {
                if (hasValue)
                {
                    result.Add(current.Name);
                }

                hasValue = true;
            }

            result.Add(token);
        }

        return [.. result];
    }

    /// <summary>Tells whether a token is an option as the parser reads it: a dash and a letter, or two dashes (<c>-1</c> is a value).</summary>
    private static bool IsOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsDigit(token[1]);
}
