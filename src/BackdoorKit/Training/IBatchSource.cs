using TorchSharp;

namespace BackdoorKit.Training;

/// <summary>
/// Builds model-ready batches from in-memory data: selects samples by index, moves them to the device, and applies
/// the transforms (resize, trigger, normalization) there. No per-sample loader is involved.
/// </summary>
public interface IBatchSource
{
    /// <summary>Gets the number of samples.</summary>
    int Count { get; }

    /// <summary>Gets the labels the model is trained or scored against, <c>int64 [Count]</c>, owned by the source.</summary>
    torch.Tensor Labels { get; }

    /// <summary>Builds one batch.</summary>
    /// <param name="indices">Sample indices, an <c>int64</c> vector on any device.</param>
    /// <param name="device">The device the batch must be on.</param>
    /// <param name="augmentation">The source of training-time random augmentation, or null for evaluation (no randomness).</param>
    /// <returns>Normalized float inputs <c>[B, 3, S, S]</c> and <c>int64</c> labels <c>[B]</c>, both on <paramref name="device"/>; the caller owns them.</returns>
    (torch.Tensor Inputs, torch.Tensor Labels) GetBatch(torch.Tensor indices, torch.Device device, Random? augmentation);

    /// <summary>
    /// Runs the model on a batch of this source's inputs and returns the logits. Sources of images run the whole model;
    /// sources of cached prefix outputs (<see cref="Features.FeatureBatchSource"/>) run only the rest of it.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="inputs">Inputs from <see cref="GetBatch"/>.</param>
    /// <returns>Logits <c>[B, classes]</c>; the caller owns them.</returns>
    torch.Tensor Forward(Models.BackdoorModel model, torch.Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Forward(inputs);
    }
}
