using Spectre.Console.Cli;

namespace ReproducePaper.Cli;

/// <summary>
/// Refuses what Spectre.Console.Cli lets through but a study should not take silently: an unknown option or an argument
/// after <c>--</c> (the parser runs relaxed, since its strict mode retries a failed parse with a default-command word
/// inserted, which can become a value: <c>status --out</c> would read a study folder named <c>__default_command</c>),
/// an option that takes one value given twice (the last one would win) and a blank value (<c>--out " "</c>).
/// </summary>
internal sealed class OptionUseInterceptor : ICommandInterceptor
{
    /// <inheritdoc/>
    /// <exception cref="UsageException">An option is unknown, given twice or with a blank value, or an argument follows <c>--</c>.</exception>
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (context.Remaining.Parsed.FirstOrDefault() is { } unknown)
        {
            throw new UsageException($"unknown option {unknown.Key} for '{context.Name}'; 'ReproducePaper {context.Name} --help' lists its options");
        }

        if (context.Remaining.Raw.FirstOrDefault() is { } extra)
        {
            throw new UsageException($"unexpected argument '{extra}' for '{context.Name}'; options start with --");
        }

        foreach (DeclaredOption option in DeclaredOption.Of(settings.GetType()))
        {
            if (!option.Repeatable && context.Arguments.Count(option.IsNamedBy) > 1)
            {
                throw new UsageException($"option {option.Name} is given twice");
            }

            if (option.TextValues(settings).Any(string.IsNullOrWhiteSpace))
            {
                throw new UsageException($"option {option.Name} needs a non-empty value");
            }
        }
    }
}
