using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// The trainer's optimizer: updates parameters in place from their gradients with state and scratch buffers allocated
/// once, on the parameters' device, so a step allocates no tensor memory. TorchSharp's <c>optim.Adam</c> allocates two
/// parameter-sized temporaries per parameter and step, which costs more than the step's arithmetic on large layers.
/// </summary>
internal abstract class ParameterOptimizer : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="ParameterOptimizer"/> class.</summary>
    /// <param name="parameters">The parameters to update; at least one.</param>
    protected ParameterOptimizer(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("an optimizer needs at least one parameter.", nameof(parameters));
        }

        Parameters = parameters;
    }

    /// <summary>Gets the parameters, in the order given.</summary>
    protected IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Creates the optimizer the options name.</summary>
    /// <param name="options">The optimizer kind, learning rate and momentum.</param>
    /// <param name="parameters">The parameters to update.</param>
    /// <returns>The optimizer; dispose it after training.</returns>
    public static ParameterOptimizer Create(TrainingOptions options, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => new InPlaceSgd(parameters, options.LearningRate, options.Momentum),
            _ => new InPlaceAdam(parameters, options.LearningRate),
        };
    }

    /// <summary>
    /// Clears every gradient by setting it to none (PyTorch's <c>zero_grad(set_to_none=True)</c>, its default): the next
    /// backward pass writes each gradient instead of adding it to zeros, which saves a pass over every gradient.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in Parameters)
        {
            parameter.grad = null;
        }
    }

    /// <summary>Updates every parameter that has a gradient, without gradient tracking.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            using Tensor? grad = Parameters[i].grad;
            if (grad is not null)
            {
                Update(i, Parameters[i], grad);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeState();
        GC.SuppressFinalize(this);
    }

    /// <summary>Updates one parameter in place.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>.</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>Frees the state buffers.</summary>
    protected abstract void DisposeState();
}
