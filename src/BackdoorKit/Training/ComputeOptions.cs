namespace BackdoorKit.Training;

/// <summary>Where and with how many threads training runs. Recorded with results, but not part of an experiment's identity.</summary>
public sealed record ComputeOptions
{
    /// <summary>Gets the defaults: CUDA when available, LibTorch's own thread count.</summary>
    public static ComputeOptions Default { get; } = new();

    /// <summary>Gets the device: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <see langword="null"/> to use CUDA when available.</summary>
    public string? Device
    {
        get;
        init => field = value is null || value == "cpu" || value == "cuda" || IsCudaIndex(value)
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(Device), value, $"ComputeOptions.Device must be null (automatic), cpu, cuda or cuda:N; got '{value}'.");
    }

    /// <summary>Gets LibTorch's intra-op thread count, or <see langword="null"/> to leave it. CPU results are bit-identical only for the same count.</summary>
    public int? Threads
    {
        get;
        init => field = value is null or (>= 1 and <= 1024)
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(Threads), value, $"ComputeOptions.Threads must be null or in [1, 1024]; got {value}.");
    }

    /// <summary>Resolves the device to use now, checking that a CUDA device asked for exists.</summary>
    /// <returns>The configured device, or CUDA when available and none was configured, else CPU.</returns>
    /// <exception cref="ComputeDeviceException">CUDA was asked for but this process cannot use it; the message says why and what to reference.</exception>
    public TorchSharp.torch.Device ResolveDevice()
    {
        Runtime.TorchRuntime.EnsureInitialized();
        if (Device is not null && Device.StartsWith("cuda", StringComparison.Ordinal))
        {
            CheckCuda(Device, TorchSharp.torch.cuda.is_available(), TorchSharp.torch.cuda.is_available() ? TorchSharp.torch.cuda.device_count() : 0, CudaLibraryLoadable());
        }

        return TorchSharp.torch.device(Device ?? (TorchSharp.torch.cuda.is_available() ? "cuda" : "cpu"));
    }

    /// <summary>Explains why a CUDA device cannot be used, from what the process found.</summary>
    /// <param name="device">The device asked for (<c>cuda</c> or <c>cuda:N</c>).</param>
    /// <param name="available">Whether LibTorch reports CUDA as available.</param>
    /// <param name="count">How many CUDA devices LibTorch sees.</param>
    /// <param name="cudaLibraryLoaded">Whether a CUDA build of LibTorch (<c>torch_cuda</c>) is loadable.</param>
    /// <exception cref="ComputeDeviceException">The device cannot be used.</exception>
    internal static void CheckCuda(string device, bool available, int count, bool cudaLibraryLoaded)
    {
        const string Fix = "reference TorchSharp-cuda-linux (or TorchSharp-cuda-windows) 0.107.0 instead of TorchSharp-cpu " +
                           "(samples/ReproducePaper: build with -p:TorchBackend=cuda), run on a machine with an NVIDIA driver for CUDA 12.8, or use --device cpu (docs/gpu.md)";
        int index = device.Length > 5 ? int.Parse(device.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (!available)
        {
            string found = cudaLibraryLoaded
                ? "a CUDA build of LibTorch is loaded, but it finds no NVIDIA driver or device"
                : "this process loaded a CPU-only LibTorch";
            throw new ComputeDeviceException($"device '{device}' was asked for, but CUDA is not available: {found}; {Fix}.");
        }

        if (index >= count)
        {
            throw new ComputeDeviceException(
                $"device '{device}' was asked for, but LibTorch sees {count} CUDA device(s) (cuda:0..cuda:{count - 1}); check CUDA_VISIBLE_DEVICES or choose another index.");
        }
    }

    private static bool CudaLibraryLoadable()
    {
        foreach (string name in new[] { "libtorch_cuda.so", "torch_cuda.dll", "torch_cuda" })
        {
            if (System.Runtime.InteropServices.NativeLibrary.TryLoad(name, typeof(ComputeOptions).Assembly, null, out IntPtr handle))
            {
                System.Runtime.InteropServices.NativeLibrary.Free(handle);
                return true;
            }
        }

        return false;
    }

    private static bool IsCudaIndex(string value) =>
        value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(5), out int index) && index >= 0;
}
