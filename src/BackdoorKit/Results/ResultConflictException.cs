namespace BackdoorKit.Results;

/// <summary>Two different results claim the same experiment id (e.g. when merging shard stores).</summary>
public sealed class ResultConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ResultConflictException"/> class.</summary>
    public ResultConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ResultConflictException"/> class.</summary>
    /// <param name="message">The conflicting ids and where they come from.</param>
    public ResultConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ResultConflictException"/> class.</summary>
    /// <param name="message">The conflicting ids and where they come from.</param>
    /// <param name="innerException">The cause.</param>
    public ResultConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
