namespace BackdoorKit.Studies;

/// <summary>What <see cref="StudyMatrixFile.SaveOrCheck"/> found in a study folder.</summary>
public enum StudyMatrixCheck
{
    /// <summary>The folder had no matrix file; it now holds the matrix.</summary>
    Created,

    /// <summary>The folder holds the same matrix.</summary>
    Unchanged,

    /// <summary>
    /// The folder held another matrix whose stored results all belong to the new one's plan (the study grew, e.g. an
    /// updated preset with new blocks); the file now holds the new matrix and every stored result is kept.
    /// </summary>
    Extended,
}
