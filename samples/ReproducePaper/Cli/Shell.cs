namespace ReproducePaper.Cli;

/// <summary>Quotes values for the bash scripts the commands write.</summary>
internal static class Shell
{
    /// <summary>
    /// Quotes a value as one bash word that expands to exactly the value: inside single quotes nothing is special, and a
    /// single quote is written as <c>'\''</c> (close, escaped quote, reopen). Slurm's <c>#SBATCH</c> lines read it the same way.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The quoted word.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"'{value.Replace("'", @"'\''", StringComparison.Ordinal)}'";
    }

    /// <summary>Quotes each value (see <see cref="Quote"/>) and joins them with spaces.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The quoted words.</returns>
    public static string Quote(IEnumerable<string> values) => string.Join(' ', values.Select(Quote));
}
