namespace BackdoorKit.Experiments;

/// <summary>
/// Counts the experiments of one matrix block by arithmetic, without expanding it, so that a matrix too large to plan
/// is rejected before a list is allocated. Experiments that blocks share are counted in each.
/// </summary>
internal static class ExperimentMatrixSize
{
    /// <summary>
    /// Counts a block's own backdoored experiments and clean baselines (not its freeze study or include blocks); families
    /// that ignore positions or colors are counted as if they used them (an upper bound).
    /// </summary>
    /// <param name="matrix">The block, with its lists checked to be present.</param>
    /// <returns>The count.</returns>
    public static Int128 Count(ExperimentMatrix matrix)
    {
        Int128 perColor = (Int128)matrix.Models.Count * Attacks(matrix) * matrix.TriggerSizes.Count * matrix.Positions.Count * matrix.PoisoningRates.Count * matrix.Repetitions;
        Int128 backdoored = matrix.Datasets.Aggregate(Int128.Zero, (sum, dataset) => sum + (perColor * (dataset.Colors ?? matrix.Colors).Count));
        Int128 clean = matrix.CleanBaselines ? (Int128)matrix.Datasets.Count * matrix.Models.Count * matrix.Repetitions : 0;
        return backdoored + clean;
    }

    /// <summary>Counts a freeze study's experiments.</summary>
    /// <param name="study">The study, with its lists checked to be present.</param>
    /// <param name="matrix">The block whose trigger families, poisoners and label modes the study sweeps.</param>
    /// <returns>The count.</returns>
    public static Int128 Count(FreezeStudy study, ExperimentMatrix matrix) =>
        (Int128)study.Datasets.Count * Attacks(matrix) * study.FreezeIndices.Count * study.TriggerSizes.Count * study.PoisoningRates.Count * study.Repetitions;

    /// <summary>Trigger families x poisoners x label modes.</summary>
    private static Int128 Attacks(ExperimentMatrix matrix) =>
        (Int128)matrix.TriggerFamilies.Count * matrix.Poisoners.Count * matrix.LabelModes.Count;
}
