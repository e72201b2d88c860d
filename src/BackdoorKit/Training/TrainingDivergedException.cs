namespace BackdoorKit.Training;

/// <summary>Training produced a non-finite loss (NaN or infinity) and was stopped.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TrainingDivergedException"/> class.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrainingDivergedException"/> class.</summary>
    /// <param name="message">Where the loss became non-finite and what to try.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrainingDivergedException"/> class.</summary>
    /// <param name="message">Where the loss became non-finite and what to try.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
