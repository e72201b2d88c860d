namespace BackdoorKit.Reporting.Findings;

/// <summary>What one study's numbers say about one of the paper's Findings 1-6 (its section 4.5).</summary>
/// <param name="Number">The finding's number, 1 to 6.</param>
/// <param name="Claim">The paper's finding, in short.</param>
/// <param name="Numbers">The study's numbers that bear on it, one line each; empty when the study cannot address it.</param>
/// <param name="Reading">A neutral one-line reading of the numbers, or why the study cannot address the finding.</param>
/// <param name="Addressed">Whether the study crosses the factors the finding needs.</param>
public sealed record FindingEvidence(int Number, string Claim, IReadOnlyList<string> Numbers, string Reading, bool Addressed);
