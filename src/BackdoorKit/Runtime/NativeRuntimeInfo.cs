namespace BackdoorKit.Runtime;

/// <summary>What <see cref="TorchRuntime"/> found and configured; recorded with every result.</summary>
/// <param name="TorchSharpVersion">The managed TorchSharp assembly's version.</param>
/// <param name="BackdoorKitVersion">The BackdoorKit assembly's version.</param>
/// <param name="OneDnn">The oneDNN setting in force: <c>default</c>, <c>avx-cap</c> or <c>disabled</c>.</param>
/// <param name="OneDnnReason">Why that setting was chosen.</param>
/// <param name="CudaAvailable">Whether a CUDA device is usable.</param>
/// <param name="Threads">LibTorch's intra-op thread count at initialisation.</param>
public sealed record NativeRuntimeInfo(
    string TorchSharpVersion,
    string BackdoorKitVersion,
    string OneDnn,
    string OneDnnReason,
    bool CudaAvailable,
    int Threads)
{
    /// <summary>Gets the memory allocator setting in force (<see cref="HugePages.Setting"/>), e.g. <c>hugetlb=1,thp=madvise</c>.</summary>
    public string Allocator { get; init; } = HugePages.Setting;
}
