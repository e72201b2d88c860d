using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Adam (Kingma and Ba; PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay, no AMSGrad) with the same
/// operations in the same order as TorchSharp's <c>optim.Adam</c>, so results are bit-identical to it on the CPU, but
/// with the moment estimates and one scratch buffer allocated up front: the step allocates nothing.
/// </summary>
/// <remarks>
/// Per parameter and step t: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; p -= lr / (1 - b1^t) · m / (sqrt(v) /
/// sqrt(1 - b2^t) + eps), with eps added after the bias correction of v, as PyTorch does.
/// </remarks>
internal sealed class InPlaceAdam : ParameterOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly double learningRate;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly Dictionary<(string Device, ScalarType Dtype), Tensor> scratch = [];
    private readonly long[] steps;

    /// <summary>Initializes a new instance of the <see cref="InPlaceAdam"/> class.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, positive.</param>
    public InPlaceAdam(IReadOnlyList<Parameter> parameters, double learningRate)
        : base(parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        this.learningRate = learningRate;
        firstMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        steps = new long[parameters.Count];

        // One flat scratch buffer per device and type, as large as the largest parameter, holds the denominator.
        foreach (IGrouping<(string, ScalarType), Parameter> group in parameters.GroupBy(ScratchKey))
        {
            Parameter first = group.First();
            scratch[group.Key] = empty(group.Max(p => p.numel()), dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        long step = ++steps[index];
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        Tensor exponentialAverage = firstMoments[index];
        Tensor squaredAverage = secondMoments[index];
        exponentialAverage.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        squaredAverage.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);

        using Tensor flat = scratch[ScratchKey(parameter)].narrow(0, 0, parameter.numel());
        using Tensor denominator = flat.view(parameter.shape);
        denominator.copy_(squaredAverage).sqrt_().div_(Math.Sqrt(biasCorrection2)).add_(Epsilon);
        parameter.addcdiv_(exponentialAverage, denominator, value: -(learningRate / biasCorrection1));
    }

    /// <inheritdoc />
    protected override void DisposeState()
    {
        foreach (Tensor tensor in firstMoments.Concat(secondMoments).Concat(scratch.Values))
        {
            tensor.Dispose();
        }

        scratch.Clear();
    }

    private static (string Device, ScalarType Dtype) ScratchKey(Parameter parameter) => (parameter.device.ToString(), parameter.dtype);
}
