using BackdoorKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// The arithmetic and memory traffic one training step cannot avoid, counted from one forward pass with hooks on every
/// leaf module, and the floors they give at this machine's measured rates.
/// </summary>
/// <remarks>
/// FLOPs: 2 per multiply-add of every convolution and linear layer in the forward pass; the same again for the gradient
/// of its input where the backward pass reaches it (its input requires grad), and again for the gradient of its
/// weight where that trains. Other layers add no FLOPs. Bytes (fp32): every parameter read once; every leaf module's
/// output written once, and, on the backward path, read back with its gradient written and read; the trainable
/// parameters' gradients written and read by the optimizer, which also reads and writes each parameter and its state
/// (two moments for Adam, one buffer for SGD with momentum). Caches, im2col buffers and framework copies are not
/// counted, so the floor is optimistic: a step at its floor is the hardware limit of this machine.
/// <see cref="LayerFloorMs"/> bounds each layer (and the optimizer) by its own compute or traffic and adds them up,
/// since a step runs its layers one after another: a compute-bound convolution cannot hide a memory-bound optimizer.
/// </remarks>
internal sealed record StepCost(double Flops, double Bytes, double LayerFloorMs)
{
    /// <summary>Gets the compute floor in milliseconds at the measured GEMM rate.</summary>
    public double ComputeFloorMs => Flops / MachineRates.GemmFlopsPerSecond * 1e3;

    /// <summary>Gets the memory floor in milliseconds at the measured copy bandwidth.</summary>
    public double MemoryFloorMs => Bytes / MachineRates.BytesPerSecond * 1e3;

    /// <summary>Gets the step's floor: the larger of the two.</summary>
    public double FloorMs => Math.Max(ComputeFloorMs, MemoryFloorMs);

    /// <summary>Counts one step of <paramref name="model"/> on <paramref name="inputs"/>.</summary>
    /// <param name="model">The model, with its freeze strategy applied.</param>
    /// <param name="inputs">One batch.</param>
    /// <param name="optimizerStateTensors">Optimizer state tensors per trainable parameter: 2 for Adam, 1 for SGD with momentum.</param>
    public static StepCost Count(BackdoorModel model, Tensor inputs, int optimizerStateTensors)
    {
        double flops = 0;
        double activationBytes = 0;
        double layerFloorMs = 0;
        var removers = new List<Action>();
        foreach (nn.Module leaf in model.Module.modules().Where(m => !m.children().Any()))
        {
            if (leaf is not nn.Module<Tensor, Tensor> module)
            {
                continue;
            }

            var remover = module.register_forward_hook((m, input, output) =>
            {
                bool backward = output.requires_grad;
                double outputBytes = 4.0 * output.numel();
                activationBytes += outputBytes * (backward ? 4 : 1);
                double forward = m switch
                {
                    Conv2d conv => 2.0 * output.numel() * conv.weight!.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                    Linear linear => 2.0 * output.numel() * linear.weight!.shape[1],
                    SkinnyLinear skinny => 2.0 * output.numel() * skinny.Weight.shape[1],
                    _ => 0,
                };
                bool weightTrains = m.parameters().Any(p => p.requires_grad);
                double leafFlops = forward * (1 + (input.requires_grad ? 1 : 0) + (weightTrains ? 1 : 0));
                double leafBytes = (outputBytes * (backward ? 4 : 1)) + (4.0 * m.parameters().Sum(p => p.numel()));
                flops += leafFlops;
                layerFloorMs += Math.Max(leafFlops / MachineRates.GemmFlopsPerSecond, leafBytes / MachineRates.BytesPerSecond) * 1e3;
                return output;
            });
            removers.Add(remover.remove);
        }

        try
        {
            using var scope = NewDisposeScope();
            model.Module.call(inputs);
        }
        finally
        {
            foreach (Action remove in removers)
            {
                remove();
            }
        }

        double parameterBytes = 4.0 * model.TotalParameterCount;
        double trainableBytes = 4.0 * model.TrainableParameterCount;

        // Gradient written (zeroed, accumulated) and read; parameter and state read and written.
        double optimizerBytes = trainableBytes * (3 + (2 * (1 + optimizerStateTensors)));
        return new StepCost(
            flops, parameterBytes + activationBytes + optimizerBytes, layerFloorMs + (optimizerBytes / MachineRates.BytesPerSecond * 1e3));
    }
}
