using BackdoorKit.IO;

namespace BackdoorKit.Models;

/// <summary>
/// A checkpoint cannot be used: missing, unreadable, in an unsupported (legacy) format, with the wrong SHA-256, or
/// with keys that do not fit the model, or holding non-finite values. The message names the file and the offending
/// keys, on one line: control characters in quoted names become spaces.
/// </summary>
public sealed class ModelWeightsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ModelWeightsException"/> class.</summary>
    public ModelWeightsException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelWeightsException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ModelWeightsException(string message)
        : base(SingleLine.Of(message))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelWeightsException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelWeightsException(string message, Exception innerException)
        : base(SingleLine.Of(message), innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelWeightsException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="path">The checkpoint file or weights directory.</param>
    /// <param name="missingKeys">Model keys the checkpoint lacks.</param>
    /// <param name="mismatchedKeys">Keys whose shapes differ between checkpoint and model.</param>
    /// <param name="unexpectedKeys">Checkpoint keys the model does not have.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal ModelWeightsException(
        string message,
        string path,
        IReadOnlyList<string>? missingKeys = null,
        IReadOnlyList<string>? mismatchedKeys = null,
        IReadOnlyList<string>? unexpectedKeys = null,
        Exception? innerException = null)
        : base(SingleLine.Of(message), innerException)
    {
        Path = path;
        MissingKeys = missingKeys ?? [];
        MismatchedKeys = mismatchedKeys ?? [];
        UnexpectedKeys = unexpectedKeys ?? [];
    }

    /// <summary>Gets the checkpoint file or weights directory, if known.</summary>
    public string? Path { get; }

    /// <summary>Gets the model keys (outside the head) that the checkpoint lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; } = [];

    /// <summary>Gets the keys whose tensor shapes differ between checkpoint and model.</summary>
    public IReadOnlyList<string> MismatchedKeys { get; } = [];

    /// <summary>Gets the checkpoint keys the model does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; } = [];
}
