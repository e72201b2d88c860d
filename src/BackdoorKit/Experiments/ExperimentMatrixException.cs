namespace BackdoorKit.Experiments;

/// <summary>
/// An <see cref="ExperimentMatrix"/> holds a value or combination that cannot run. The message names the offending
/// entry and value, e.g. <c>datasets[1].name 'cifar100' is not a known dataset (known: mnist, cifar10, tinyimagenet, folder)</c>.
/// </summary>
public sealed class ExperimentMatrixException : ArgumentException
{
    /// <summary>Creates an exception for one offending entry.</summary>
    /// <param name="entry">The entry as its JSON path, e.g. <c>datasets[1].name</c> or <c>freezeStudy.freezeIndices[3]</c>.</param>
    /// <param name="message">The full message, starting with the entry.</param>
    public ExperimentMatrixException(string entry, string message)
        : base(message)
    {
        Entry = entry;
    }

    /// <summary>Gets the offending entry as its JSON path, e.g. <c>datasets[1].name</c>.</summary>
    public string Entry { get; }
}
