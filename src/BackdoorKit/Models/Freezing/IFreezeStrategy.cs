namespace BackdoorKit.Models.Freezing;

/// <summary>
/// Decides which parameters of a model train during transfer learning. Apply one with
/// <see cref="BackdoorModel.ApplyFreezeStrategy"/>; the known ones are in <see cref="KnownFreezeStrategies"/>.
/// </summary>
public interface IFreezeStrategy
{
    /// <summary>Gets the strategy's name, recorded with every result (e.g. <c>paper-text</c>, <c>freeze-first-7</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Gets whether BatchNorm layers stay in evaluation mode while the model trains, so their running statistics keep
    /// the pretrained values (a linear probe).
    /// </summary>
    bool KeepsBatchNormInEvalMode { get; }

    /// <summary>Computes the names of the parameters that train; every other parameter is frozen. Changes nothing.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The trainable parameter names.</returns>
    IReadOnlySet<string> SelectTrainable(BackdoorModel model);

    /// <summary>
    /// Computes the names of the top-level modules that stay in evaluation mode while the model trains (BatchNorm keeps
    /// its statistics, dropout is off), on top of <see cref="KeepsBatchNormInEvalMode"/>. Changes nothing. None by default.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The names of top-level modules (e.g. <c>conv1</c>, <c>layer1</c>).</returns>
    IReadOnlySet<string> SelectEvalModeModules(BackdoorModel model) => new HashSet<string>(StringComparer.Ordinal);
}
