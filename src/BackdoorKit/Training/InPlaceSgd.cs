using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Stochastic gradient descent with momentum as PyTorch and TorchSharp define it (dampening 0, no Nesterov, no weight
/// decay): the momentum buffer starts as a copy of the first gradient, then b = μ b + g and p -= lr · b. The buffers
/// are allocated up front, so no step allocates.
/// </summary>
internal sealed class InPlaceSgd : ParameterOptimizer
{
    private readonly double learningRate;
    private readonly double momentum;
    private readonly Tensor?[] buffers;
    private readonly bool[] started;

    /// <summary>Initializes a new instance of the <see cref="InPlaceSgd"/> class.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, positive.</param>
    /// <param name="momentum">The momentum, in [0, 1); 0 keeps no buffer.</param>
    public InPlaceSgd(IReadOnlyList<Parameter> parameters, double learningRate, double momentum)
        : base(parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (momentum is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1); got {momentum}.");
        }

        this.learningRate = learningRate;
        this.momentum = momentum;
        buffers = [.. parameters.Select(p => momentum == 0 ? null : zeros_like(p).DetachFromDisposeScope())];
        started = new bool[parameters.Count];
    }

    /// <inheritdoc />
    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        Tensor direction = grad;
        if (buffers[index] is Tensor buffer)
        {
            if (started[index])
            {
                buffer.mul_(momentum).add_(grad, alpha: 1);
            }
            else
            {
                buffer.copy_(grad);
                started[index] = true;
            }

            direction = buffer;
        }

        parameter.add_(direction, alpha: -learningRate);
    }

    /// <inheritdoc />
    protected override void DisposeState()
    {
        foreach (Tensor? buffer in buffers)
        {
            buffer?.Dispose();
        }
    }
}
