namespace BackdoorKit.Experiments;

/// <summary>
/// Counts the experiments of one matrix block by arithmetic, without expanding it, so that a matrix too large to plan
/// is rejected before a list is allocated. Experiments that blocks share are counted in each.
/// </summary>
internal static class ExperimentMatrixSize
{
    /// <summary>Counts a block's own backdoored experiments and clean baselines (not its freeze study or include blocks).</summary>
    /// <param name="matrix">The block, with its lists checked to be present.</param>
    /// <returns>The count.</returns>
    public static Int128 Count(ExperimentMatrix matrix)
    {
        Int128 perColor = (Int128)matrix.Models.Count * matrix.TriggerSizes.Count * matrix.Positions.Count * matrix.PoisoningRates.Count * matrix.Repetitions;
        Int128 backdoored = matrix.Datasets.Aggregate(Int128.Zero, (sum, dataset) => sum + (perColor * (dataset.Colors ?? matrix.Colors).Count));
        Int128 clean = matrix.CleanBaselines ? (Int128)matrix.Datasets.Count * matrix.Models.Count * matrix.Repetitions : 0;
        return backdoored + clean;
    }

    /// <summary>Counts a freeze study's experiments.</summary>
    /// <param name="study">The study, with its lists checked to be present.</param>
    /// <returns>The count.</returns>
    public static Int128 Count(FreezeStudy study) =>
        (Int128)study.Datasets.Count * study.FreezeIndices.Count * study.TriggerSizes.Count * study.PoisoningRates.Count * study.Repetitions;
}
