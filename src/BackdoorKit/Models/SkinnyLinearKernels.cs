using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackdoorKit.Models;

/// <summary>
/// The three products of a linear layer y = x W^T + b for a block of exactly four rows (float32, contiguous, W is
/// <c>[N, K]</c> as <c>nn.Linear</c> stores it), written to stream W once per block at memory speed. LibTorch's GEMM
/// streams a 151 MB weight at about a sixth of the bandwidth when only four rows multiply it (docs/performance.md).
/// Callers pad fewer rows with zeros, and give x and dx a row stride (<see cref="Stride"/>) that is not a multiple of
/// 4 KiB: with AlexNet's 9,216 columns every row of x, dx and W would start at the same offset within a page and
/// compete for one set of the L1 cache, which halves the speed. Each output element is computed the same way whatever
/// the thread split, so results do not depend on the thread count.
/// </summary>
internal static unsafe class SkinnyLinearKernels
{
    /// <summary>The rows of one block.</summary>
    internal const int Rows = 4;

    private static readonly int Width = Vector<float>.Count;

    /// <summary>How <see cref="WeightGradient"/> writes dW.</summary>
    internal enum Store
    {
        /// <summary>dW = g^T x, bypassing the cache where the hardware can (the block is written once, read by the optimizer later).</summary>
        Overwrite,

        /// <summary>dW += g^T x.</summary>
        Accumulate,
    }

    /// <summary>Gets the row stride, in floats, for a row of <paramref name="columns"/>: a whole number of 64-byte lines, not a multiple of 4 KiB.</summary>
    /// <param name="columns">The row's length.</param>
    /// <returns>The stride.</returns>
    internal static int Stride(int columns)
    {
        int stride = (columns + 15) / 16 * 16;
        return stride % 1024 == 0 ? stride + 16 : stride;
    }

    /// <summary>y[4, N] = x[4, K] W^T (+ b), x rows <paramref name="xStride"/> floats apart; threads split the output columns.</summary>
    internal static void Forward(float* x, int xStride, float* w, float* b, float* y, int n, int k, int threads) =>
        Split(n, threads, Rows, (n0, n1) => ForwardRange(x, xStride, w, b, y, n, k, n0, n1));

    /// <summary>dW[N, K] (=, +=) g[4, N]^T x[4, K], g and x rows <paramref name="gStride"/> and <paramref name="xStride"/> floats apart; threads split the rows of dW.</summary>
    internal static void WeightGradient(float* g, int gStride, float* x, int xStride, float* dw, int n, int k, Store store, int threads) =>
        Split(n, threads, 1, (n0, n1) => WeightGradientRange(g, gStride, x, xStride, dw, n, k, n0, n1, store));

    /// <summary>dx[4, K] = g[4, N] W, g and dx rows <paramref name="gStride"/> and <paramref name="dxStride"/> floats apart; threads split the columns of dx, each streaming its slice of every row of W.</summary>
    internal static void InputGradient(float* g, int gStride, float* w, float* dx, int dxStride, int n, int k, int threads) =>
        Split(k, threads, 64, (k0, k1) => InputGradientRange(g, gStride, w, dx, dxStride, n, k, k0, k1));

    /// <summary>Runs <paramref name="body"/> on <paramref name="parts"/> ranges of [0, count) that start at multiples of <paramref name="align"/>.</summary>
    private static void Split(int count, int parts, int align, Action<int, int> body)
    {
        if (parts <= 1 || count < 2 * align)
        {
            body(0, count);
            return;
        }

        int per = ((count + parts - 1) / parts + align - 1) / align * align;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int start = part * per, end = Math.Min(count, start + per);
            if (start < end)
            {
                body(start, end);
            }
        });
    }

    /// <summary>Four rows of W against the four rows of x per pass: sixteen accumulators, four W streams.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRange(float* x, int xStride, float* w, float* b, float* y, int n, int k, int n0, int n1)
    {
        float* x0 = x, x1 = x + xStride, x2 = x + (2 * xStride), x3 = x + (3 * xStride);
        int whole = k / Width * Width;
        float* sums = stackalloc float[Rows];
        int row = n0;
        for (; row + 3 < n1; row += 4)
        {
            float* w0 = w + ((long)row * k), w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
            Vector<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector<float> a30 = default, a31 = default, a32 = default, a33 = default;
            for (int c = 0; c < whole; c += Width)
            {
                Vector<float> v0 = Load(w0 + c), v1 = Load(w1 + c), v2 = Load(w2 + c), v3 = Load(w3 + c);
                Vector<float> xv = Load(x0 + c);
                a00 = Vector.FusedMultiplyAdd(v0, xv, a00); a10 = Vector.FusedMultiplyAdd(v1, xv, a10);
                a20 = Vector.FusedMultiplyAdd(v2, xv, a20); a30 = Vector.FusedMultiplyAdd(v3, xv, a30);
                xv = Load(x1 + c);
                a01 = Vector.FusedMultiplyAdd(v0, xv, a01); a11 = Vector.FusedMultiplyAdd(v1, xv, a11);
                a21 = Vector.FusedMultiplyAdd(v2, xv, a21); a31 = Vector.FusedMultiplyAdd(v3, xv, a31);
                xv = Load(x2 + c);
                a02 = Vector.FusedMultiplyAdd(v0, xv, a02); a12 = Vector.FusedMultiplyAdd(v1, xv, a12);
                a22 = Vector.FusedMultiplyAdd(v2, xv, a22); a32 = Vector.FusedMultiplyAdd(v3, xv, a32);
                xv = Load(x3 + c);
                a03 = Vector.FusedMultiplyAdd(v0, xv, a03); a13 = Vector.FusedMultiplyAdd(v1, xv, a13);
                a23 = Vector.FusedMultiplyAdd(v2, xv, a23); a33 = Vector.FusedMultiplyAdd(v3, xv, a33);
            }

            Finish(w0, x, xStride, b, y, n, k, whole, row, a00, a01, a02, a03, sums);
            Finish(w1, x, xStride, b, y, n, k, whole, row + 1, a10, a11, a12, a13, sums);
            Finish(w2, x, xStride, b, y, n, k, whole, row + 2, a20, a21, a22, a23, sums);
            Finish(w3, x, xStride, b, y, n, k, whole, row + 3, a30, a31, a32, a33, sums);
        }

        for (; row < n1; row++)
        {
            float* wr = w + ((long)row * k);
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < whole; c += Width)
            {
                Vector<float> v = Load(wr + c);
                a0 = Vector.FusedMultiplyAdd(v, Load(x0 + c), a0); a1 = Vector.FusedMultiplyAdd(v, Load(x1 + c), a1);
                a2 = Vector.FusedMultiplyAdd(v, Load(x2 + c), a2); a3 = Vector.FusedMultiplyAdd(v, Load(x3 + c), a3);
            }

            Finish(wr, x, xStride, b, y, n, k, whole, row, a0, a1, a2, a3, sums);
        }
    }

    /// <summary>Adds the tail columns and the bias to one output column's four sums and stores them.</summary>
    private static void Finish(
        float* wr, float* x, int xStride, float* b, float* y, int n, int k, int whole, int row,
        Vector<float> a0, Vector<float> a1, Vector<float> a2, Vector<float> a3, float* sums)
    {
        sums[0] = Vector.Sum(a0); sums[1] = Vector.Sum(a1); sums[2] = Vector.Sum(a2); sums[3] = Vector.Sum(a3);
        for (int c = whole; c < k; c++)
        {
            for (int r = 0; r < Rows; r++)
            {
                sums[r] += wr[c] * x[(r * xStride) + c];
            }
        }

        float bias = b is null ? 0 : b[row];
        for (int r = 0; r < Rows; r++)
        {
            y[((long)r * n) + row] = sums[r] + bias;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradientRange(float* g, int gStride, float* x, int xStride, float* dw, int n, int k, int n0, int n1, Store store)
    {
        float* x0 = x, x1 = x + xStride, x2 = x + (2 * xStride), x3 = x + (3 * xStride);
        int whole = k / Width * Width;
        bool stream = store == Store.Overwrite && Avx.IsSupported && Width == Vector256<float>.Count && ((long)dw % 32) == 0 && k % Width == 0;
        for (int row = n0; row < n1; row++)
        {
            float g0 = g[row], g1 = g[gStride + row], g2 = g[(2 * gStride) + row], g3 = g[(3 * gStride) + row];
            var c0 = new Vector<float>(g0);
            var c1 = new Vector<float>(g1);
            var c2 = new Vector<float>(g2);
            var c3 = new Vector<float>(g3);
            float* target = dw + ((long)row * k);
            int c = 0;
            for (; c < whole; c += Width)
            {
                Vector<float> r = Load(x0 + c) * c0;
                r = Vector.FusedMultiplyAdd(Load(x1 + c), c1, r);
                r = Vector.FusedMultiplyAdd(Load(x2 + c), c2, r);
                r = Vector.FusedMultiplyAdd(Load(x3 + c), c3, r);
                if (stream)
                {
                    Avx.StoreAlignedNonTemporal(target + c, r.AsVector256());
                }
                else if (store == Store.Accumulate)
                {
                    (Load(target + c) + r).Store(target + c);
                }
                else
                {
                    r.Store(target + c);
                }
            }

            for (; c < k; c++)
            {
                float r = MathF.FusedMultiplyAdd(x3[c], g3, MathF.FusedMultiplyAdd(x2[c], g2, MathF.FusedMultiplyAdd(x1[c], g1, x0[c] * g0)));
                target[c] = store == Store.Accumulate ? target[c] + r : r;
            }
        }

        if (stream)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>Four rows of W per pass into the four rows of dx (sixteen broadcast factors, four accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientRange(float* g, int gStride, float* w, float* dx, int dxStride, int n, int k, int k0, int k1)
    {
        float* d0 = dx, d1 = dx + dxStride, d2 = dx + (2 * dxStride), d3 = dx + (3 * dxStride);
        for (int c = k0; c < k1; c++)
        {
            d0[c] = 0; d1[c] = 0; d2[c] = 0; d3[c] = 0;
        }

        int whole = k0 + ((k1 - k0) / Width * Width);
        for (int row = 0; row < n; row++)
        {
            float* wr = w + ((long)row * k);
            var f0 = new Vector<float>(g[row]);
            var f1 = new Vector<float>(g[gStride + row]);
            var f2 = new Vector<float>(g[(2 * gStride) + row]);
            var f3 = new Vector<float>(g[(3 * gStride) + row]);
            int c = k0;
            for (; c < whole; c += Width)
            {
                Vector<float> v = Load(wr + c);
                Vector.FusedMultiplyAdd(v, f0, Load(d0 + c)).Store(d0 + c);
                Vector.FusedMultiplyAdd(v, f1, Load(d1 + c)).Store(d1 + c);
                Vector.FusedMultiplyAdd(v, f2, Load(d2 + c)).Store(d2 + c);
                Vector.FusedMultiplyAdd(v, f3, Load(d3 + c)).Store(d3 + c);
            }

            for (; c < k1; c++)
            {
                d0[c] = MathF.FusedMultiplyAdd(wr[c], g[row], d0[c]);
                d1[c] = MathF.FusedMultiplyAdd(wr[c], g[gStride + row], d1[c]);
                d2[c] = MathF.FusedMultiplyAdd(wr[c], g[(2 * gStride) + row], d2[c]);
                d3[c] = MathF.FusedMultiplyAdd(wr[c], g[(3 * gStride) + row], d3[c]);
            }
        }
    }

    private static Vector<float> Load(float* address) => Vector.Load(address);
}
