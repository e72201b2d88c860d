using BackdoorKit.Models;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Explainability;

/// <summary>Reads the output (feature maps) of one layer of a <see cref="BackdoorModel"/> for a batch, as in the paper's Figure 19.</summary>
public static class LayerActivations
{
    /// <summary>Runs the model in evaluation mode, without gradients, and returns the named layer's output.</summary>
    /// <param name="model">The model; it is left in evaluation mode.</param>
    /// <param name="inputs">Normalized model input <c>[B, 3, H, W]</c>, on any device (moved to the model's).</param>
    /// <param name="layerName">The layer, as <see cref="GradCam.LayerNames"/> spells it; null for the architecture's Grad-CAM layer.</param>
    /// <returns>A new <c>float32 [B, C, h, w]</c> tensor on the model's device; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The model has no such layer, or the input is not a batch of images.</exception>
    /// <exception cref="InvalidOperationException">The layer did not run, or its output is not <c>[B, C, h, w]</c>.</exception>
    public static Tensor Capture(BackdoorModel model, Tensor inputs, string? layerName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 4 || inputs.shape[1] != 3 || inputs.shape[0] == 0)
        {
            throw new ArgumentException(
                $"inputs must be a non-empty batch [B, 3, H, W]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        }

        string name = layerName ?? model.Architecture.GradCamLayerName;
        nn.Module<Tensor, Tensor> layer = ModelLayer.Find(model, name, nameof(layerName));
        TorchRuntime.EnsureInitialized();
        model.SetTrainingMode(false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (_, Tensor activation) = ModelLayer.Run(model, layer, name, inputs.to(ModelLayer.DeviceOf(model)).to_type(ScalarType.Float32));
        using (activation)
        {
            return activation.to_type(ScalarType.Float32).clone().MoveToOuterDisposeScope();
        }
    }
}
