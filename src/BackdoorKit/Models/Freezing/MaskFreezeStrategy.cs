namespace BackdoorKit.Models.Freezing;

/// <summary>A freeze strategy defined by a selection function; the implementation behind every known strategy.</summary>
/// <param name="name">The strategy's name.</param>
/// <param name="keepsBatchNormInEvalMode">Whether BatchNorm layers stay in evaluation mode while training.</param>
/// <param name="select">Selects the trainable parameter names of a model.</param>
/// <param name="selectEvalMode">Selects the top-level modules kept in evaluation mode while training; none when null.</param>
internal sealed class MaskFreezeStrategy(
    string name, bool keepsBatchNormInEvalMode, Func<BackdoorModel, IEnumerable<string>> select, Func<BackdoorModel, IEnumerable<string>>? selectEvalMode = null)
    : IFreezeStrategy
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public bool KeepsBatchNormInEvalMode { get; } = keepsBatchNormInEvalMode;

    /// <inheritdoc/>
    public IReadOnlySet<string> SelectTrainable(BackdoorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return select(model).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public IReadOnlySet<string> SelectEvalModeModules(BackdoorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (selectEvalMode?.Invoke(model) ?? []).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
