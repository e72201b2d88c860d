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

    /// <summary>
    /// Gets how many training steps run between two reads of the loss on the host (which wait for the device), in
    /// [1, 10000], or <see langword="null"/> for automatic: every step on the CPU (where reading is free), every 50 steps
    /// on CUDA, so the GPU never idles waiting for the host. A NaN or infinite loss is found at the next read and still
    /// reported with its epoch and step; progress reports come at each read. Results do not depend on it.
    /// </summary>
    public int? LossReadInterval
    {
        get;
        init => field = value is null or (>= 1 and <= 10_000)
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(LossReadInterval), value, $"ComputeOptions.LossReadInterval must be null or in [1, 10000]; got {value}.");
    }

    /// <summary>
    /// Gets whether CUDA matrix multiplications and cuDNN convolutions may use TF32 (faster on Ampere and newer GPUs,
    /// about 10 mantissa bits). Off by default; recorded with every result. No effect on the CPU.
    /// </summary>
    public bool AllowTf32 { get; init; }

    /// <summary>
    /// Gets the largest dataset, in bytes of stored images and labels (training and test split together), that an
    /// experiment on a GPU keeps on the device, copied there once per process and batched from there, so no step waits for
    /// a host-to-device copy. In [0, 1 TiB]; 0 keeps every dataset on the host. 4 GiB by default (CIFAR-10 is 184 MB,
    /// TinyImageNet 1.3 GB as bytes). No effect on the CPU, where datasets already are on the device.
    /// </summary>
    public long DatasetOnDeviceMaxBytes
    {
        get;
        init => field = value is >= 0 and <= 1L << 40
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(DatasetOnDeviceMaxBytes), value, $"ComputeOptions.DatasetOnDeviceMaxBytes must be in [0, {1L << 40}]; got {value}.");
    } = 4L << 30;

    /// <summary>Tells whether a dataset of <paramref name="bytes"/> goes to <paramref name="device"/> for training.</summary>
    /// <param name="device">The training device.</param>
    /// <param name="bytes">The bytes of the dataset's images and labels.</param>
    /// <returns>True for a non-CPU device when the dataset is within <see cref="DatasetOnDeviceMaxBytes"/>.</returns>
    public bool KeepsDatasetOnDevice(TorchSharp.torch.Device device, long bytes)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return device.type != TorchSharp.DeviceType.CPU && bytes <= DatasetOnDeviceMaxBytes;
    }

    /// <summary>Resolves how many steps run between two loss reads on <paramref name="device"/>.</summary>
    /// <param name="device">The training device.</param>
    /// <returns><see cref="LossReadInterval"/>, or 1 on the CPU and 50 elsewhere.</returns>
    public int ResolveLossReadInterval(TorchSharp.torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return LossReadInterval ?? (device.type == TorchSharp.DeviceType.CPU ? 1 : 50);
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
