using BackdoorKit.Models;
using BackdoorKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Explainability;

/// <summary>
/// Gradient-weighted class activation maps (Grad-CAM, Selvaraju et al. 2017) of a <see cref="BackdoorModel"/>: where in
/// an image the evidence for a class lies, at the resolution of one layer's output, upsampled to the input.
/// </summary>
/// <remarks>
/// For each sample, the layer's output <c>A [C, h, w]</c> is weighted by the spatial mean of the gradient of the target
/// class's logit with respect to it, summed over channels, passed through ReLU, upsampled bilinearly to the input size
/// and scaled to [0, 1] (an all-zero map stays zero). The output is captured with a forward hook that is removed again,
/// and the gradient is taken with <c>torch.autograd.grad</c>, so parameters' <c>.grad</c> stay as they were; parameters
/// are frozen during the pass (the input requires the gradient instead) and their <c>requires_grad</c> flags restored.
/// The model runs, and is left, in evaluation mode, on its own device. Every intermediate tensor is freed.
/// </remarks>
public sealed class GradCam
{
    private readonly nn.Module<Tensor, Tensor> layer;

    /// <summary>Initializes a new instance of the <see cref="GradCam"/> class.</summary>
    /// <param name="model">The model; it stays the caller's.</param>
    /// <param name="options">The layer; <see cref="GradCamOptions.Default"/> (the architecture's Grad-CAM layer) when null.</param>
    /// <exception cref="ArgumentException">The model has no layer of that name (the message lists its layers).</exception>
    public GradCam(BackdoorModel model, GradCamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        LayerName = options?.LayerName ?? model.Architecture.GradCamLayerName;
        layer = ModelLayer.Find(model, LayerName, nameof(options));
    }

    /// <summary>Gets the model.</summary>
    public BackdoorModel Model { get; }

    /// <summary>Gets the name of the layer whose output is weighed.</summary>
    public string LayerName { get; }

    /// <summary>Lists the names of a model's layers (submodules), any of which <see cref="GradCamOptions.LayerName"/> may name.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The names, in <c>named_modules()</c> order.</returns>
    public static IReadOnlyList<string> LayerNames(BackdoorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelLayer.Names(model);
    }

    /// <summary>Computes one map per sample for the same target class.</summary>
    /// <param name="inputs">Normalized model input <c>[B, 3, H, W]</c>, on any device.</param>
    /// <param name="targetClass">The class whose evidence is mapped.</param>
    /// <returns>See <see cref="Compute(Tensor, IReadOnlyList{int})"/>.</returns>
    public Tensor Compute(Tensor inputs, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Compute(inputs, [.. Enumerable.Repeat(targetClass, inputs.dim() > 0 ? (int)inputs.shape[0] : 0)]);
    }

    /// <summary>Computes one map per sample, each for its own target class.</summary>
    /// <param name="inputs">Normalized model input <c>[B, 3, H, W]</c>, on any device (moved to the model's).</param>
    /// <param name="targetClasses">The class whose evidence is mapped, one per sample, in <c>[0, NumClasses)</c>.</param>
    /// <returns>A new <c>float32 [B, H, W]</c> tensor in [0, 1] on the model's device; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The input is not a batch of images, or the class count differs from the batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target class is not a class of the model.</exception>
    /// <exception cref="InvalidOperationException">The layer did not run, or its output is not <c>[B, C, h, w]</c>.</exception>
    public Tensor Compute(Tensor inputs, IReadOnlyList<int> targetClasses)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targetClasses);
        if (inputs.dim() != 4 || inputs.shape[1] != 3 || inputs.shape[0] == 0)
        {
            throw new ArgumentException(
                $"inputs must be a non-empty batch [B, 3, H, W]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        }

        if (targetClasses.Count != inputs.shape[0])
        {
            throw new ArgumentException(
                $"targetClasses must hold one class per sample ({inputs.shape[0]}); got {targetClasses.Count}.", nameof(targetClasses));
        }

        int[] outside = [.. targetClasses.Where(c => c < 0 || c >= Model.NumClasses)];
        if (outside.Length > 0)
        {
            int bad = outside[0];
            throw new ArgumentOutOfRangeException(
                nameof(targetClasses), bad, $"target classes must lie in [0, {Model.NumClasses - 1}] for {Model.Name}; got {bad}.");
        }

        TorchRuntime.EnsureInitialized();
        Device device = ModelLayer.DeviceOf(Model);
        Model.SetTrainingMode(false);
        Parameter[] parameters = [.. Model.Module.parameters()];
        bool[] trainable = [.. parameters.Select(p => p.requires_grad)];
        Tensor? activation = null;
        try
        {
            foreach (Parameter parameter in parameters)
            {
                parameter.requires_grad = false;
            }

            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            Tensor x = inputs.to(device).to_type(ScalarType.Float32).detach().requires_grad_(true);
            (Tensor logits, activation) = ModelLayer.Run(Model, layer, LayerName, x);
            Tensor targets = tensor(targetClasses.Select(c => (long)c).ToArray(), ScalarType.Int64, device).view(-1, 1);

            // Samples do not interact in evaluation mode, so the gradient of the sum is each sample's own gradient.
            Tensor score = logits.gather(1, targets).sum();
            Tensor gradient = autograd.grad([score], [activation])[0];
            Tensor weights = gradient.mean([2, 3], keepdim: true);
            Tensor cam = nn.functional.relu(weights.mul(activation.detach()).sum(1, keepdim: true));
            cam = nn.functional.interpolate(
                cam, [inputs.shape[2], inputs.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
            Tensor low = cam.amin([1, 2], keepdim: true);
            Tensor range = cam.amax([1, 2], keepdim: true).sub(low);
            Tensor scaled = where(range.gt(1e-12), cam.sub(low).div(range.clamp_min(1e-12)), zeros_like(cam));
            return scaled.clamp(0, 1).detach().MoveToOuterDisposeScope();
        }
        finally
        {
            activation?.Dispose();
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].requires_grad = trainable[i];
            }
        }
    }
}
