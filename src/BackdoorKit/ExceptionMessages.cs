namespace BackdoorKit;

/// <summary>Turns exception messages into the one-line form command-line tools print.</summary>
public static class ExceptionMessages
{
    /// <summary>
    /// Gets an exception's message on one line: for an <see cref="ArgumentException"/> its first line without the
    /// "(Parameter 'x')" and "Actual value was" suffixes, otherwise the message with line breaks turned into spaces.
    /// </summary>
    /// <param name="e">The exception.</param>
    /// <returns>The message.</returns>
    public static string OneLine(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is not ArgumentException argument)
        {
            return e.Message.ReplaceLineEndings(" ");
        }

        string message = argument.Message.ReplaceLineEndings("\n").Split('\n')[0];
        return argument.ParamName is null ? message : message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal);
    }
}
