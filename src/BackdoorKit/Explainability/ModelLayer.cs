using BackdoorKit.Models;
using static TorchSharp.torch;

namespace BackdoorKit.Explainability;

/// <summary>Finds a named module of a model and records its output of one forward pass through a forward hook.</summary>
internal static class ModelLayer
{
    private const int ListedNames = 60;

    /// <summary>Lists the names of a model's submodules, in <c>named_modules()</c> order (the root excluded).</summary>
    public static IReadOnlyList<string> Names(BackdoorModel model) =>
        [.. model.Module.named_modules().Select(m => m.name).Where(n => n.Length > 0)];

    /// <summary>Finds a submodule by name.</summary>
    /// <exception cref="ArgumentException">No submodule has that name, or it does not map one tensor to one tensor.</exception>
    public static nn.Module<Tensor, Tensor> Find(BackdoorModel model, string layerName, string parameterName)
    {
        foreach ((string name, nn.Module module) in model.Module.named_modules())
        {
            if (name.Length > 0 && name == layerName)
            {
                return module as nn.Module<Tensor, Tensor> ?? throw new ArgumentException(
                    $"layer '{layerName}' of {model.Name} is a {module.GetType().Name}, which does not map one tensor to one tensor; pick another layer.",
                    parameterName);
            }
        }

        IReadOnlyList<string> names = Names(model);
        string listed = string.Join(", ", names.Take(ListedNames));
        string more = names.Count > ListedNames ? $", ... ({names.Count - ListedNames} more)" : string.Empty;
        throw new ArgumentException(
            $"{model.Name} has no layer '{layerName}'; its layers are: {listed}{more}.", parameterName);
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> with a forward hook on <paramref name="layer"/> and returns the logits
    /// and the layer's output; the hook is removed before returning.
    /// </summary>
    /// <returns>The logits (in the current dispose scope) and the layer's output, which belongs to no dispose scope: the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">The layer did not run, or its output is not <c>[B, C, h, w]</c>.</exception>
    public static (Tensor Logits, Tensor Activation) Run(BackdoorModel model, nn.Module<Tensor, Tensor> layer, string layerName, Tensor inputs)
    {
        Tensor? captured = null;
        var remover = layer.register_forward_hook((_, _, output) =>
        {
            // The module's own dispose scope frees its output after forward: keep an alias of our own.
            captured?.Dispose();
            captured = output.alias().DetachFromDisposeScope();
            return output;
        });
        Tensor logits;
        try
        {
            logits = model.Forward(inputs);
        }
        catch
        {
            captured?.Dispose();
            throw;
        }
        finally
        {
            remover.remove();
        }

        if (captured is null)
        {
            throw new InvalidOperationException($"layer '{layerName}' of {model.Name} did not run in the forward pass; pick another layer.");
        }

        if (captured.dim() != 4 || captured.shape[0] != inputs.shape[0])
        {
            string shape = string.Join(", ", captured.shape);
            captured.Dispose();
            throw new InvalidOperationException(
                $"layer '{layerName}' of {model.Name} outputs [{shape}]; Grad-CAM and feature maps need [batch, channels, height, width].");
        }

        return (logits, captured);
    }

    /// <summary>Gets the device of the model's first parameter (the CPU for a model without parameters).</summary>
    public static Device DeviceOf(BackdoorModel model) =>
        model.Module.parameters().FirstOrDefault()?.device ?? CPU;
}
