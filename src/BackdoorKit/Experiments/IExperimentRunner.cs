using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>Runs one experiment from its spec: data, poisoning, model, training, metrics.</summary>
public interface IExperimentRunner
{
    /// <summary>Runs an experiment.</summary>
    /// <param name="spec">What to run.</param>
    /// <param name="progress">Receives training progress, or null.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    /// <returns>The result record.</returns>
    ExperimentResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}
