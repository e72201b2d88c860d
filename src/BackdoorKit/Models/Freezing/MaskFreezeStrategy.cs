namespace BackdoorKit.Models.Freezing;

/// <summary>A freeze strategy defined by a selection function; the implementation behind every known strategy.</summary>
/// <param name="name">The strategy's name.</param>
/// <param name="keepsBatchNormInEvalMode">Whether BatchNorm layers stay in evaluation mode while training.</param>
/// <param name="select">Selects the trainable parameter names of a model.</param>
internal sealed class MaskFreezeStrategy(string name, bool keepsBatchNormInEvalMode, Func<BackdoorModel, IEnumerable<string>> select)
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
    public override string ToString() => Name;
}
