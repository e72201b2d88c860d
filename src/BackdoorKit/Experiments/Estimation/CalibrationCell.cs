using BackdoorKit.Training;

namespace BackdoorKit.Experiments.Estimation;

/// <summary>
/// What decides the cost of an experiment's steps: experiments of one cell share their step times, whatever their
/// trigger, rate or seed. The dataset stands for its native image side, source channels and class count.
/// </summary>
/// <param name="Dataset">The dataset name.</param>
/// <param name="Model">The model name.</param>
/// <param name="FreezeStrategy">The freeze strategy name.</param>
/// <param name="Protocol">The protocol name.</param>
/// <param name="InputSize">The resolved model-input side in pixels.</param>
/// <param name="BatchSize">The training batch size.</param>
/// <param name="EvaluationBatchSize">The evaluation batch size.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Classes">The number of classes.</param>
public sealed record CalibrationCell(
    string Dataset,
    string Model,
    string FreezeStrategy,
    string Protocol,
    int InputSize,
    int BatchSize,
    int EvaluationBatchSize,
    OptimizerKind Optimizer,
    int Classes)
{
    /// <summary>Returns the cell of an experiment.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="catalog">Where the spec's names resolve.</param>
    /// <returns>Its cell.</returns>
    /// <exception cref="ArgumentException">The dataset has no nominal shape (the plain image folder) or is unknown.</exception>
    public static CalibrationCell Of(ExperimentSpec spec, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new CalibrationCell(
            spec.Dataset,
            spec.Model,
            spec.FreezeStrategy,
            spec.Protocol,
            ExperimentSetup.InputSize(spec, catalog),
            spec.Training.BatchSize,
            spec.Training.EvaluationBatchSize,
            spec.Training.Optimizer,
            NominalDatasets.Get(spec.Dataset, catalog).Classes);
    }
}
