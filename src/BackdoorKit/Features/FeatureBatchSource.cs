using BackdoorKit.Models;
using BackdoorKit.Training;
using static TorchSharp.torch;

namespace BackdoorKit.Features;

/// <summary>
/// Serves cached prefix outputs instead of images: batches are rows of a feature tensor, and the model runs only the
/// stages after the prefix (<see cref="Forward"/>). Owns its tensors; dispose it after training or evaluation.
/// </summary>
public sealed class FeatureBatchSource : IBatchSource, IDisposable
{
    private readonly Tensor features;

    /// <summary>Initializes a new instance of the <see cref="FeatureBatchSource"/> class, taking ownership of both tensors.</summary>
    /// <param name="features">The prefix output of every sample, <c>[N, ...]</c>.</param>
    /// <param name="labels">The labels, <c>int64 [N]</c>.</param>
    /// <param name="prefixStages">How many leading stages produced the features.</param>
    internal FeatureBatchSource(Tensor features, Tensor labels, int prefixStages)
    {
        this.features = features;
        Labels = labels;
        PrefixStages = prefixStages;
    }

    /// <inheritdoc />
    public int Count => (int)features.shape[0];

    /// <inheritdoc />
    public Tensor Labels { get; }

    /// <summary>Gets how many leading stages of the model produced the features.</summary>
    public int PrefixStages { get; }

    /// <inheritdoc />
    public (Tensor Inputs, Tensor Labels) GetBatch(Tensor indices, Device device, Random? augmentation)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        Tensor local = indices.to(features.device);
        return (features.index_select(0, local).to(device).MoveToOuterDisposeScope(),
            Labels.index_select(0, indices.to(Labels.device)).to(device).MoveToOuterDisposeScope());
    }

    /// <summary>Runs the stages after the prefix on cached features.</summary>
    /// <param name="model">The model whose prefix produced the features.</param>
    /// <param name="inputs">Features from <see cref="GetBatch"/>.</param>
    /// <returns>The logits; the caller owns them.</returns>
    public Tensor Forward(BackdoorModel model, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ForwardSuffix(inputs, PrefixStages);
    }

    /// <summary>Frees the features and labels.</summary>
    public void Dispose()
    {
        features.Dispose();
        Labels.Dispose();
    }
}
