using System.Numerics;
using BackdoorKit.Runtime;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Adam's update of one contiguous float32 CPU parameter in a single pass over memory: each element's parameter,
/// gradient and two moments are read once and written once (7 x 4 bytes per element), where the same update as tensor
/// operations makes eight passes. On AlexNet's 54.6 M classifier parameters that is the difference between about 250 ms
/// and about 60 ms per step on 2 cores (docs/performance.md). Vectorised with <see cref="Vector{T}"/> and split over
/// LibTorch's intra-op thread count; each element's arithmetic is the same whatever the split, so results do not depend
/// on the thread count.
/// </summary>
internal static partial class FusedAdamKernel
{
    /// <summary>Parameters with fewer elements run on the calling thread only.</summary>
    private const long ParallelThreshold = 1 << 16;

    /// <summary>Tells whether the kernel can update a parameter: float32 on the CPU, it and its gradient contiguous.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    /// <returns>Whether <see cref="Update"/> applies.</returns>
    internal static bool Applies(Tensor parameter, Tensor grad) =>
        parameter.device_type == TorchSharp.DeviceType.CPU && grad.device_type == TorchSharp.DeviceType.CPU
        && parameter.dtype == ScalarType.Float32 && grad.dtype == ScalarType.Float32
        && parameter.is_contiguous() && grad.is_contiguous();

    /// <summary>
    /// Updates in place, per element: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g; p -= stepSize m / (sqrt(v) /
    /// biasCorrection2Root + eps): PyTorch's Adam without weight decay, in float32 as its CPU kernels compute it.
    /// </summary>
    /// <param name="parameter">The parameter (contiguous float32 on the CPU).</param>
    /// <param name="grad">Its gradient (same).</param>
    /// <param name="m">The first moment (same shape, contiguous).</param>
    /// <param name="v">The second moment (same shape, contiguous).</param>
    /// <param name="beta1">b1.</param>
    /// <param name="beta2">b2.</param>
    /// <param name="epsilon">eps.</param>
    /// <param name="stepSize">lr / (1 - b1^t).</param>
    /// <param name="biasCorrection2Root">sqrt(1 - b2^t).</param>
    internal static unsafe void Update(Tensor parameter, Tensor grad, Tensor m, Tensor v, double beta1, double beta2, double epsilon, double stepSize, double biasCorrection2Root)
    {
        long count = parameter.numel();
        float* p = TensorMemory.Floats(parameter);
        float* g = TensorMemory.Floats(grad);
        float* first = TensorMemory.Floats(m);
        float* second = TensorMemory.Floats(v);
        var constants = new Constants((float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)epsilon, (float)-stepSize, (float)biasCorrection2Root);
        int parts = count < ParallelThreshold ? 1 : Math.Max(1, get_num_threads());
        if (parts == 1)
        {
            Range(p, g, first, second, 0, count, constants);
            return;
        }

        // Split at multiples of the vector width so every part but the last is whole vectors.
        long width = Vector<float>.Count;
        long per = ((count / parts) + width - 1) / width * width;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            long start = part * per;
            long end = Math.Min(count, start + per);
            if (start < end)
            {
                Range(p, g, first, second, start, end, constants);
            }
        });
    }

    private static unsafe void Range(float* p, float* g, float* m, float* v, long start, long end, Constants c)
    {
        long i = start;
        int width = Vector<float>.Count;
        var beta1 = new Vector<float>(c.Beta1);
        var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
        var beta2 = new Vector<float>(c.Beta2);
        var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
        var epsilon = new Vector<float>(c.Epsilon);
        var negativeStep = new Vector<float>(c.NegativeStepSize);
        var correction = new Vector<float>(c.BiasCorrection2Root);
        for (; i <= end - width; i += width)
        {
            var gradient = Vector.Load(g + i);
            var first = (Vector.Load(m + i) * beta1) + (gradient * oneMinusBeta1);
            var second = (Vector.Load(v + i) * beta2) + (oneMinusBeta2 * (gradient * gradient));
            var denominator = (Vector.SquareRoot(second) / correction) + epsilon;
            first.Store(m + i);
            second.Store(v + i);
            (Vector.Load(p + i) + (negativeStep * (first / denominator))).Store(p + i);
        }

        for (; i < end; i++)
        {
            float gradient = g[i];
            float first = (m[i] * c.Beta1) + (gradient * c.OneMinusBeta1);
            float second = (v[i] * c.Beta2) + (c.OneMinusBeta2 * (gradient * gradient));
            float denominator = (MathF.Sqrt(second) / c.BiasCorrection2Root) + c.Epsilon;
            m[i] = first;
            v[i] = second;
            p[i] += c.NegativeStepSize * (first / denominator);
        }
    }

    private readonly record struct Constants(
        float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float Epsilon, float NegativeStepSize, float BiasCorrection2Root);
}
