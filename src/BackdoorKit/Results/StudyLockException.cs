namespace BackdoorKit.Results;

/// <summary>Another live process holds the study folder's lock; the message names it (host, process id, start time).</summary>
public sealed class StudyLockException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StudyLockException"/> class.</summary>
    public StudyLockException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StudyLockException"/> class.</summary>
    /// <param name="message">Who holds the lock and what to do.</param>
    public StudyLockException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StudyLockException"/> class.</summary>
    /// <param name="message">Who holds the lock and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public StudyLockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
