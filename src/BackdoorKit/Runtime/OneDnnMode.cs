namespace BackdoorKit.Runtime;

/// <summary>How BackdoorKit configures oneDNN (MKL-DNN), LibTorch's CPU convolution library, before the first convolution.</summary>
/// <remarks>
/// On virtual machines whose kernel hides the CPU cache sizes, oneDNN's 1x1 convolution backward divides by zero and the
/// process dies with SIGFPE (ResNet-50/152 training). A process cannot catch that signal, so the choice is made before
/// the first convolution. Capping the instruction set changes results bit for bit: the setting is recorded with every result.
/// </remarks>
public enum OneDnnMode
{
    /// <summary>Cap oneDNN at AVX when the machine hides its CPU cache information, otherwise leave it alone (default).</summary>
    Auto = 0,

    /// <summary>Leave oneDNN as LibTorch configures it.</summary>
    Default = 1,

    /// <summary>Cap oneDNN's instruction set at AVX (<c>DNNL_MAX_CPU_ISA=AVX</c>): safe on such machines, still fast.</summary>
    CapAtAvx = 2,

    /// <summary>Turn oneDNN off through LibTorch's global context (slowest, but independent of the instruction set).</summary>
    Disabled = 3,
}
