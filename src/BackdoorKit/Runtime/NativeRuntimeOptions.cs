namespace BackdoorKit.Runtime;

/// <summary>Options for loading and configuring LibTorch, applied once per process by <see cref="TorchRuntime"/>.</summary>
public sealed record NativeRuntimeOptions
{
    /// <summary>The environment variable that overrides <see cref="OneDnn"/>: <c>auto</c>, <c>default</c>, <c>avx</c> or <c>off</c>.</summary>
    public const string OneDnnEnvironmentVariable = "BACKDOORKIT_ONEDNN";

    /// <summary>Gets the default options: oneDNN safeguard on machines that need it, LibTorch's own thread count.</summary>
    public static NativeRuntimeOptions Default { get; } = new();

    /// <summary>Gets how oneDNN is configured. The <see cref="OneDnnEnvironmentVariable"/> variable, when set, wins.</summary>
    public OneDnnMode OneDnn { get; init; } = OneDnnMode.Auto;

    /// <summary>
    /// Gets whether glibc's allocator serves blocks of up to 32 MB from its heap and keeps up to 256 MB of freed memory
    /// instead of returning it to the kernel (Linux only). Without it, every batch-sized tensor is a fresh <c>mmap</c> whose pages the kernel zeroes, which
    /// measured 2.2 times slower training of a small CNN on the CPU. Memory then stays at its high-water mark.
    /// </summary>
    public bool KeepFreedMemory { get; init; } = true;

    /// <summary>Parses the value of <see cref="OneDnnEnvironmentVariable"/>.</summary>
    /// <param name="value">One of <c>auto</c>, <c>default</c>, <c>avx</c>, <c>off</c> (case-insensitive).</param>
    /// <returns>The mode.</returns>
    /// <exception cref="ArgumentException">The value is not one of the allowed words.</exception>
    public static OneDnnMode ParseOneDnnMode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "auto" => OneDnnMode.Auto,
            "default" or "on" => OneDnnMode.Default,
            "avx" => OneDnnMode.CapAtAvx,
            "off" or "disabled" => OneDnnMode.Disabled,
            _ => throw new ArgumentException(
                $"{OneDnnEnvironmentVariable}='{value}' is not valid; allowed: auto, default, avx, off.", nameof(value)),
        };
    }
}
