using System.Globalization;
using BackdoorKit.Models;
using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>
/// An experiment's trained model as a file: the tensors training changed (<see cref="BackdoorModel.TrainedStateNames"/>)
/// plus metadata that ties them to the experiment and to the weights the frozen rest is rebuilt from.
/// </summary>
internal static class SavedModels
{
    private const string ExperimentKey = "backdoorkit.experimentId";
    private const string WeightsKey = "backdoorkit.weightsSource";
    private const string ModelKey = "backdoorkit.model";
    private const string FreezeKey = "backdoorkit.freezeStrategy";
    private const string LossKey = "backdoorkit.finalLoss";
    private const string StepsKey = "backdoorkit.steps";
    private const string SecondsKey = "backdoorkit.trainSeconds";
    private const string VersionKey = "backdoorkit.version";

    /// <summary>Saves a trained experiment's model into a models directory (<see cref="ExperimentRunner.SavedModelPath"/>).</summary>
    /// <param name="trained">The trained experiment.</param>
    /// <param name="directory">The models directory; created when missing.</param>
    /// <param name="version">The BackdoorKit version, recorded.</param>
    /// <returns>The file.</returns>
    public static string Save(TrainedExperiment trained, string directory, string version)
    {
        Directory.CreateDirectory(directory);
        string path = ExperimentRunner.SavedModelPath(directory, trained.Spec.Id);
        trained.Model.SaveTrainedState(path, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ExperimentKey] = trained.Spec.Id,
            [WeightsKey] = trained.Model.WeightsSource,
            [ModelKey] = trained.Model.Name,
            [FreezeKey] = trained.Model.FreezeStrategy.Name,
            [LossKey] = trained.Training.FinalLoss.ToString("R", CultureInfo.InvariantCulture),
            [StepsKey] = trained.Training.Steps.ToString(CultureInfo.InvariantCulture),
            [SecondsKey] = trained.Training.Duration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
            [VersionKey] = version,
        });
        return path;
    }

    /// <summary>Loads a saved model into a model built for its experiment, after checking that the file is that experiment's.</summary>
    /// <param name="model">The model, built as the experiment builds it.</param>
    /// <param name="path">The file.</param>
    /// <param name="spec">The experiment.</param>
    /// <returns>The training summary the file records.</returns>
    /// <exception cref="ModelWeightsException">The file is not the experiment's, was trained on other weights, or does not fit.</exception>
    public static TrainingSummary Load(BackdoorModel model, string path, ExperimentSpec spec)
    {
        IReadOnlyDictionary<string, string> metadata = model.LoadTrainedState(path);
        string? experiment = metadata.GetValueOrDefault(ExperimentKey);
        if (experiment != spec.Id)
        {
            throw new ModelWeightsException($"saved model '{path}' holds experiment '{experiment ?? "(none)"}', not {spec.Id}.", path);
        }

        string? weights = metadata.GetValueOrDefault(WeightsKey);
        if (weights != model.WeightsSource)
        {
            throw new ModelWeightsException(
                $"saved model '{path}' was trained on weights '{weights ?? "(none)"}', but the model was rebuilt from '{model.WeightsSource}'; give the weights it was trained on.",
                path);
        }

        return new TrainingSummary(
            Number(metadata, LossKey),
            (int)Number(metadata, StepsKey),
            TimeSpan.FromSeconds(Number(metadata, SecondsKey)));
    }

    private static double Number(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : double.NaN;
}
