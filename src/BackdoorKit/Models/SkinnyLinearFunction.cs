using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// The autograd function of <see cref="SkinnyLinear"/>: y = x W^T + b by <see cref="SkinnyLinearKernels"/>, the input
/// gradient when x needs one, the weight gradient into <c>weight.grad</c> when the weight trains, the bias gradient
/// through autograd. Batches are padded with zero rows to whole blocks of four; zero rows add nothing to any gradient.
/// Arguments: x, weight, bias (a tensor or <see cref="SkinnyLinear.NoBias"/>), and the layer.
/// </summary>
internal sealed class SkinnyLinearFunction : autograd.SingleTensorFunction<SkinnyLinearFunction>
{
    /// <inheritdoc />
    public override string Name => nameof(SkinnyLinearFunction);

    /// <inheritdoc />
    public override unsafe Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        Tensor? bias = vars[2] as Tensor;
        int rows = (int)input.shape[0], n = (int)weight.shape[0], k = (int)weight.shape[1];
        Tensor x = Padded(input.detach(), k);
        int stride = (int)x.shape[1];
        using Tensor y = empty([x.shape[0], n], ScalarType.Float32);
        int threads = Math.Max(1, get_num_threads());
        for (int block = 0; block < x.shape[0]; block += SkinnyLinearKernels.Rows)
        {
            SkinnyLinearKernels.Forward(
                TensorMemory.Floats(x) + ((long)block * stride),
                stride,
                TensorMemory.Floats(weight),
                bias is null ? null : TensorMemory.Floats(bias),
                TensorMemory.Floats(y) + ((long)block * n),
                n,
                k,
                threads);
        }

        ctx.save_for_backward([x, weight]);
        ctx.save_data("rows", rows);
        ctx.save_data("inputGrad", input.requires_grad);
        ctx.save_data("biasGrad", bias?.requires_grad ?? false);
        ctx.save_data("layer", vars[3]);
        return y[..rows].clone();
    }

    /// <inheritdoc />
    public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(grad_output);
        List<Tensor> saved = ctx.get_saved_variables();
        using Tensor x = saved[0];
        using Tensor weight = saved[1];
        int rows = (int)ctx.get_data("rows");
        var layer = (SkinnyLinear)ctx.get_data("layer");
        int n = (int)weight.shape[0], k = (int)weight.shape[1];
        using Tensor g = Padded(grad_output.to_type(ScalarType.Float32), n);
        int gStride = (int)g.shape[1], stride = SkinnyLinearKernels.Stride(k);
        int threads = Math.Max(1, get_num_threads());
        Tensor? inputGrad = null;
        if ((bool)ctx.get_data("inputGrad"))
        {
            using Tensor dx = empty([g.shape[0], stride], ScalarType.Float32);
            for (int block = 0; block < g.shape[0]; block += SkinnyLinearKernels.Rows)
            {
                SkinnyLinearKernels.InputGradient(
                    TensorMemory.Floats(g) + ((long)block * gStride), gStride, TensorMemory.Floats(weight), TensorMemory.Floats(dx) + ((long)block * stride), stride, n, k, threads);
            }

            inputGrad = dx[..rows, ..k].contiguous();
        }

        if (layer.Weight.requires_grad)
        {
            WeightGradient(layer, g, x, n, k, threads);
        }

        Tensor? biasGrad = (bool)ctx.get_data("biasGrad") ? grad_output.sum([0]) : null;
        return [inputGrad!, null!, biasGrad!, null!];
    }

    /// <summary>Writes dW = g^T x into the weight's gradient: added to an existing one, else into the layer's kept buffer.</summary>
    private static unsafe void WeightGradient(SkinnyLinear layer, Tensor g, Tensor x, int n, int k, int threads)
    {
        using Tensor? existing = layer.Weight.grad;
        Tensor target;
        SkinnyLinearKernels.Store first;
        if (existing is not null)
        {
            target = existing;
            first = SkinnyLinearKernels.Store.Accumulate;
        }
        else
        {
            layer.GradientBuffer ??= empty_like(layer.Weight).DetachFromDisposeScope();
            target = layer.GradientBuffer;
            first = SkinnyLinearKernels.Store.Overwrite;
        }

        int gStride = (int)g.shape[1], xStride = (int)x.shape[1];
        for (int block = 0; block < g.shape[0]; block += SkinnyLinearKernels.Rows)
        {
            SkinnyLinearKernels.WeightGradient(
                TensorMemory.Floats(g) + ((long)block * gStride),
                gStride,
                TensorMemory.Floats(x) + ((long)block * xStride),
                xStride,
                TensorMemory.Floats(target),
                n,
                k,
                block == 0 ? first : SkinnyLinearKernels.Store.Accumulate,
                threads);
        }

        if (existing is null)
        {
            layer.Weight.grad = target;
        }
    }

    /// <summary>
    /// A float32 copy of a <c>[rows, columns]</c> matrix with zero rows appended up to a whole number of blocks and rows
    /// <see cref="SkinnyLinearKernels.Stride"/> floats apart (the columns past <paramref name="columns"/> are zero).
    /// </summary>
    private static Tensor Padded(Tensor matrix, int columns)
    {
        int rows = (int)matrix.shape[0];
        long padded = (rows + SkinnyLinearKernels.Rows - 1) / SkinnyLinearKernels.Rows * SkinnyLinearKernels.Rows;
        Tensor result = zeros([padded, SkinnyLinearKernels.Stride(columns)], ScalarType.Float32);
        result[..rows, ..columns].copy_(matrix);
        return result;
    }
}
