using BackdoorKit.IO;

namespace BackdoorKit.Data;

/// <summary>
/// A dataset file is missing, truncated or corrupt. The message names the file and what is wrong with it, e.g.
/// <c>train-images-idx3-ubyte: truncated: header says 60000 images of 28x28 (47040016 bytes) but the file has 1000 bytes</c>.
/// The message is always one line: control characters in quoted names become spaces.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates an exception for a problem with one file.</summary>
    /// <param name="filePath">The path of the offending file (or of the file that was looked for).</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public DatasetFormatException(string filePath, string problem, Exception? innerException = null)
        : base(SingleLine.Of($"{filePath}: {problem}"), innerException)
    {
        FilePath = filePath;
        Problem = SingleLine.Of(problem);
    }

    /// <summary>Gets the path of the offending file.</summary>
    public string FilePath { get; }

    /// <summary>Gets the description of the problem, without the file path.</summary>
    public string Problem { get; }
}
