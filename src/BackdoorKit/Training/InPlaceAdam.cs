using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Adam (Kingma and Ba; PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay, no AMSGrad) with the moment
/// estimates and one scratch buffer allocated up front: the step allocates nothing. Contiguous float32 parameters on the
/// CPU are updated by <see cref="FusedAdamKernel"/> in one pass over memory (the same formula in float32; it agrees with
/// TorchSharp's <c>optim.Adam</c> to rounding, not bit for bit). Elsewhere (CUDA, other types, or with
/// <c>fused: false</c>) the update runs as tensor operations in the same order as TorchSharp's, bit-identical to it on the
/// CPU; optionally, large parameters are then updated in chunks that stay in the CPU caches across its eight
/// element-wise operations (same bits). Chunks are off by default: each chunk is eight more parallel regions, and on
/// oversubscribed cores their thread synchronisation cost seconds per step (docs/performance.md).
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

    /// <summary>The cache-sized chunk the benchmarks compare: 256 Ki elements, 1 MiB per fp32 tensor.</summary>
    internal const long CacheSizedChunk = 1 << 18;

    private readonly double learningRate;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly Dictionary<(string Device, ScalarType Dtype), Tensor> scratch = [];
    private readonly long[] steps;
    private readonly long chunk;
    private readonly bool fused;

    /// <summary>Initializes a new instance of the <see cref="InPlaceAdam"/> class.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, positive.</param>
    /// <param name="chunk">The most elements updated by one tensor operation (whole parameters by default); results do not depend on it.</param>
    /// <param name="fused">Whether contiguous float32 CPU parameters use the one-pass kernel (the default).</param>
    public InPlaceAdam(IReadOnlyList<Parameter> parameters, double learningRate, long chunk = long.MaxValue, bool fused = true)
        : base(parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        this.learningRate = learningRate;
        this.chunk = chunk;
        this.fused = fused;
        firstMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        steps = new long[parameters.Count];
    }

    /// <inheritdoc />
    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        long step = ++steps[index];
        double stepSize = learningRate / (1 - Math.Pow(Beta1, step));
        double biasCorrection2Root = Math.Sqrt(1 - Math.Pow(Beta2, step));
        if (fused && FusedAdamKernel.Applies(parameter, grad))
        {
            FusedAdamKernel.Update(parameter, grad, firstMoments[index], secondMoments[index], Beta1, Beta2, Epsilon, stepSize, biasCorrection2Root);
            return;
        }

        Tensor buffer = Scratch(parameter);
        long count = parameter.numel();
        if (count <= chunk)
        {
            using Tensor flat = buffer.narrow(0, 0, count);
            using Tensor denominator = flat.view(parameter.shape);
            Update(parameter, grad, firstMoments[index], secondMoments[index], denominator, stepSize, biasCorrection2Root);
        }
        else if (!parameter.is_contiguous() || !grad.is_contiguous())
        {
            // Not seen with torchvision models; correct, but allocates.
            using Tensor denominator = empty_like(parameter);
            Update(parameter, grad, firstMoments[index], secondMoments[index], denominator, stepSize, biasCorrection2Root);
        }
        else
        {
            using Tensor flatParameter = parameter.view(-1);
            using Tensor flatGrad = grad.view(-1);
            using Tensor flatFirst = firstMoments[index].view(-1);
            using Tensor flatSecond = secondMoments[index].view(-1);
            for (long start = 0; start < count; start += chunk)
            {
                long length = Math.Min(chunk, count - start);
                using Tensor p = flatParameter.narrow(0, start, length);
                using Tensor g = flatGrad.narrow(0, start, length);
                using Tensor m = flatFirst.narrow(0, start, length);
                using Tensor v = flatSecond.narrow(0, start, length);
                using Tensor denominator = buffer.narrow(0, 0, length);
                Update(p, g, m, v, denominator, stepSize, biasCorrection2Root);
            }
        }
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

    /// <summary>The update of one parameter (or chunk), in TorchSharp's order of operations.</summary>
    private static void Update(Tensor parameter, Tensor grad, Tensor m, Tensor v, Tensor denominator, double stepSize, double biasCorrection2Root)
    {
        m.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        v.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
        denominator.copy_(v).sqrt_().div_(biasCorrection2Root).add_(Epsilon);
        parameter.addcdiv_(m, denominator, value: -stepSize);
    }

    private static (string Device, ScalarType Dtype) ScratchKey(Parameter parameter) => (parameter.device.ToString(), parameter.dtype);

    /// <summary>
    /// Gets the flat scratch buffer of the parameter's device and type, allocated on first use (the fused kernel needs
    /// none) as large as the largest such parameter or a chunk, which holds the denominator.
    /// </summary>
    private Tensor Scratch(Parameter parameter)
    {
        (string, ScalarType) key = ScratchKey(parameter);
        if (!scratch.TryGetValue(key, out Tensor? buffer))
        {
            long size = Math.Min(chunk, Parameters.Where(p => ScratchKey(p) == key).Max(p => p.numel()));
            buffer = empty(size, dtype: parameter.dtype, device: parameter.device).DetachFromDisposeScope();
            scratch[key] = buffer;
        }

        return buffer;
    }
}
