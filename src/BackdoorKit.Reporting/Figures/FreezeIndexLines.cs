namespace BackdoorKit.Reporting.Figures;

/// <summary>Which factor the lines of a <see cref="FreezeIndexFigure"/> vary.</summary>
public enum FreezeIndexLines
{
    /// <summary>One line per trigger size, at the largest poisoning rate (Figure 2).</summary>
    Sizes,

    /// <summary>One line per poisoning rate, at the largest trigger size (Figure 18).</summary>
    Rates,
}
