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

    /// <summary>Resolves the device to use now.</summary>
    /// <returns>The configured device, or CUDA when available and none was configured, else CPU.</returns>
    public TorchSharp.torch.Device ResolveDevice()
    {
        Runtime.TorchRuntime.EnsureInitialized();
        return TorchSharp.torch.device(Device ?? (TorchSharp.torch.cuda.is_available() ? "cuda" : "cpu"));
    }

    private static bool IsCudaIndex(string value) =>
        value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(5), out int index) && index >= 0;
}
