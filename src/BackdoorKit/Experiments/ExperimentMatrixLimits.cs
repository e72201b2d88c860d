namespace BackdoorKit.Experiments;

/// <summary>
/// The upper bounds <see cref="ExperimentMatrix.Validate"/> and <see cref="ExperimentMatrix.Load"/> enforce, so that a
/// mistyped number fails with a message instead of a plan that allocates until the process is killed.
/// </summary>
public static class ExperimentMatrixLimits
{
    /// <summary>The most experiments a matrix may expand to, counted before shared experiments are merged (1,000,000).</summary>
    public const int MaxExperiments = 1_000_000;

    /// <summary>The most repetitions per cell, of the matrix and of its freeze study (1,000).</summary>
    public const int MaxRepetitions = 1_000;

    /// <summary>The most entries in one list: a factor list, a dataset's colors, the freeze study's lists, <c>include</c> (1,000).</summary>
    public const int MaxListLength = 1_000;

    /// <summary>The largest <c>trainLimit</c> or <c>testLimit</c> (100,000,000 images).</summary>
    public const int MaxSampleLimit = 100_000_000;

    /// <summary>The deepest nesting of <c>include</c> blocks (8).</summary>
    public const int MaxIncludeDepth = 8;

    /// <summary>The longest matrix or include-block name (64 characters).</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// Tells whether a name is safe in folder names and scripts (matrix names, block labels): 1 to
    /// <see cref="MaxNameLength"/> of A-Z a-z 0-9 '-' '_' '.', starting with a letter or digit.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is safe.</returns>
    public static bool IsSafeName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Returns a name that is null or safe (<see cref="IsSafeName"/>), else throws naming the parameter and the value.</summary>
    /// <param name="name">The name, or null.</param>
    /// <param name="parameter">The property it is given to.</param>
    /// <returns><paramref name="name"/>.</returns>
    internal static string? NullOrSafeName(string? name, string parameter) => name is null || IsSafeName(name)
        ? name
        : throw new ArgumentException(
            $"{parameter} must be null or 1 to {MaxNameLength} letters, digits, '-', '_' and '.', starting with a letter or digit; got '{name}'.",
            parameter);

    /// <summary>The largest matrix file <see cref="ExperimentMatrix.Load"/> reads (16 MiB).</summary>
    public const long MaxFileBytes = 16L << 20;
}
