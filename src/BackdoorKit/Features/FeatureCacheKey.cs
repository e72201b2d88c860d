namespace BackdoorKit.Features;

/// <summary>
/// What a table of cached features depends on: the images (dataset, folder and split), the prefix that computed them
/// (model, weights, stages), how images became model input (size, resize rule, normalization) and the trigger drawn on
/// them, if any. Rows are the split's sample indices, so experiments with different sample limits share a table.
/// </summary>
/// <param name="Dataset">The dataset name.</param>
/// <param name="DataPath">The dataset's folder.</param>
/// <param name="Split"><c>train</c> or <c>test</c>.</param>
/// <param name="Model">The architecture's name.</param>
/// <param name="Weights">Where the weights came from (random weights include their seed).</param>
/// <param name="Prefix">The stages of the prefix, by module names.</param>
/// <param name="Transform">The model-input transform.</param>
/// <param name="Trigger">The trigger's description, or <c>clean</c>.</param>
/// <param name="Device">The device the features were computed on and live on.</param>
public sealed record FeatureCacheKey(
    string Dataset, string DataPath, string Split, string Model, string Weights, string Prefix, string Transform, string Trigger, string Device)
{
    /// <summary>Gets the key as one line, the identity of the table in memory and on disk.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"dataset={Dataset};path={DataPath};split={Split};model={Model};weights={Weights};prefix={Prefix};transform={Transform};trigger={Trigger};device={Device}";
}
