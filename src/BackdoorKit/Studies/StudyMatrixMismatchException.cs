namespace BackdoorKit.Studies;

/// <summary>
/// A study folder holds results of experiments that the matrix given for it does not plan: running it there would mix
/// two studies. The message names the folder's matrix file, both matrices and an experiment of the stored study.
/// </summary>
public sealed class StudyMatrixMismatchException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StudyMatrixMismatchException"/> class.</summary>
    /// <param name="message">What does not match, and what to do.</param>
    public StudyMatrixMismatchException(string message)
        : base(message)
    {
    }
}
