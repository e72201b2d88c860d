using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BackdoorKit.Runtime;

/// <summary>The address of a tensor's first element, for the library's own CPU kernels.</summary>
internal static partial class TensorMemory
{
    /// <summary>Returns a pointer to the first float of a contiguous float32 CPU tensor; valid while the tensor lives.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException">The tensor is not a contiguous float32 CPU tensor.</exception>
    internal static unsafe float* Floats(Tensor tensor) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous()
            ? (float*)TensorData(tensor.Handle)
            : throw new ArgumentException($"expected a contiguous float32 CPU tensor; got {tensor.dtype} on {tensor.device}.", nameof(tensor));

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr TensorData(IntPtr tensor);
}
