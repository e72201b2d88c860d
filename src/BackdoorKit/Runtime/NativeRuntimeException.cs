namespace BackdoorKit.Runtime;

/// <summary>LibTorch, TorchSharp's native library, cannot be loaded on this machine. The message says what is missing and how to fix it.</summary>
public sealed class NativeRuntimeException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="NativeRuntimeException"/> class.</summary>
    public NativeRuntimeException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NativeRuntimeException"/> class.</summary>
    /// <param name="message">What is missing and the command that fixes it.</param>
    public NativeRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NativeRuntimeException"/> class.</summary>
    /// <param name="message">What is missing and the command that fixes it.</param>
    /// <param name="innerException">The loader's exception.</param>
    public NativeRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
