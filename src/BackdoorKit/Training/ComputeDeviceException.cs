namespace BackdoorKit.Training;

/// <summary>
/// The device asked for (<see cref="ComputeOptions.Device"/>) cannot be used in this process: the message says what was
/// found (a CPU-only LibTorch, no driver, too few devices) and which package to reference.
/// </summary>
public sealed class ComputeDeviceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ComputeDeviceException"/> class.</summary>
    public ComputeDeviceException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComputeDeviceException"/> class.</summary>
    /// <param name="message">What was asked for, what was found, and the fix.</param>
    public ComputeDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComputeDeviceException"/> class.</summary>
    /// <param name="message">What was asked for, what was found, and the fix.</param>
    /// <param name="innerException">The cause.</param>
    public ComputeDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
