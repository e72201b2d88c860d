namespace BackdoorKit.Poisoning;

/// <summary>Which label a poisoned sample takes, and so what a triggered test sample must be classified as to count as an attack success.</summary>
public enum LabelMode
{
    /// <summary>Every poisoned sample takes the target class (the paper's attack, and the default).</summary>
    AllToOne = 0,

    /// <summary>
    /// A poisoned sample of class <c>i</c> takes class <c>(i + 1) mod C</c> (Gu et al., 2017), so the trigger maps every
    /// class to the next one and no single target class exists.
    /// </summary>
    AllToAll = 1,
}
