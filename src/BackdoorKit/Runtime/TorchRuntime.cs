using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace BackdoorKit.Runtime;

/// <summary>
/// Loads LibTorch once per process, turning a missing C++ runtime into one actionable error, and applies the oneDNN
/// safeguard before the first convolution. Every BackdoorKit entry point that runs native code calls
/// <see cref="EnsureInitialized"/>; calling it yourself first lets you choose the options and logger.
/// </summary>
public static partial class TorchRuntime
{
    private const string RequiredGlibcxx = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static NativeRuntimeInfo? info;
    private static NativeRuntimeOptions? optionsInForce;

    /// <summary>Gets what the runtime found, or <see langword="null"/> before initialisation.</summary>
    public static NativeRuntimeInfo? Info => info;

    /// <summary>Gets the options LibTorch was initialised with, or <see langword="null"/> before initialisation.</summary>
    public static NativeRuntimeOptions? OptionsInForce => optionsInForce;

    /// <summary>The OpenMP wait policy; when the user sets it, BackdoorKit leaves OpenMP's spinning alone.</summary>
    internal const string OpenMpWaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>GNU OpenMP's spin count, which BackdoorKit sets before LibTorch loads unless it or the wait policy is set.</summary>
    internal const string OpenMpSpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>Rounds an idle OpenMP thread spins before it sleeps (<see cref="OpenMpSpinCountVariable"/>): a fraction of a millisecond.</summary>
    internal const string OpenMpSpinCount = "10000";

    /// <summary>
    /// Loads LibTorch and configures oneDNN, once; later calls return the first call's result. Call it at the entry point
    /// with the options you want: LibTorch is configured once per process, so options a later call passes that differ
    /// from those in force change nothing, and that call logs a warning saying so.
    /// </summary>
    /// <param name="options">The options; <see cref="NativeRuntimeOptions.Default"/> when null.</param>
    /// <param name="logger">Receives one line about the oneDNN decision, and one warning with the fix when glibc's allocator runs without huge pages.</param>
    /// <returns>What was found and configured.</returns>
    /// <exception cref="NativeRuntimeException">LibTorch cannot be loaded; the message says why and how to fix it.</exception>
    public static NativeRuntimeInfo EnsureInitialized(NativeRuntimeOptions? options = null, ILogger? logger = null)
    {
        if (info is not null)
        {
            WarnIfIgnored(options, logger);
            return info;
        }

        lock (Gate)
        {
            if (info is not null)
            {
                WarnIfIgnored(options, logger);
                return info;
            }

            options ??= NativeRuntimeOptions.Default;
            optionsInForce = options;
            logger ??= NullLogger.Instance;
            OneDnnMode mode = options.OneDnn;
            string? fromEnvironment = Environment.GetEnvironmentVariable(NativeRuntimeOptions.OneDnnEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                mode = NativeRuntimeOptions.ParseOneDnnMode(fromEnvironment);
            }

            (string setting, string reason) = ChooseOneDnn(mode);
            if (setting == "avx-cap")
            {
                // Must reach the native environment before LibTorch reads it; .NET's Environment does not on Linux.
                NativeMethods.SetNativeEnvironment("DNNL_MAX_CPU_ISA", "AVX");
                NativeMethods.SetNativeEnvironment("ONEDNN_MAX_CPU_ISA", "AVX");
            }

            if (options.KeepFreedMemory)
            {
                NativeMethods.KeepFreedMemory();
            }

            // GNU OpenMP's idle threads spin 300,000 rounds (milliseconds here) after each of LibTorch's parallel regions,
            // on the cores the library's own kernels (fused Adam, small-batch linear layers) need next: those ran at half
            // speed on 2 cores. A short spin keeps back-to-back regions fast (sleeping at once slowed GoogLeNet). Settings
            // the user made win.
            if (Environment.GetEnvironmentVariable(OpenMpWaitPolicyVariable) is null)
            {
                NativeMethods.SetNativeEnvironment(OpenMpSpinCountVariable, OpenMpSpinCount, overwrite: false);
            }

            LoadLibTorch();
            if (setting == "disabled")
            {
                NativeMethods.DisableMkldnn();
            }

            if (!CpuCacheInformationVisible())
            {
                // NNPACK cannot initialise without the CPU's cache information, and LibTorch then logs "Could not
                // initialize NNPACK! Reason: Unsupported hardware." for every convolution it considers it for (batches
                // under 16, where oneDNN declines): hundreds of lines per calibration. Off, LibTorch is never asked.
                NativeMethods.DisableNnpack();
            }

            LogOneDnn(logger, setting, reason);
            if (!HugePages.Active)
            {
                LogSmallPages(logger, HugePages.Setting, HugePages.TunablesVariable, HugePages.Tunable);
            }

            info = new NativeRuntimeInfo(
                VersionOf(typeof(torch).Assembly),
                VersionOf(typeof(TorchRuntime).Assembly),
                setting,
                reason,
                torch.cuda.is_available(),
                torch.get_num_threads());
            return info;
        }
    }

    /// <summary>
    /// Tells whether LibTorch may consider NNPACK for convolutions. <see cref="EnsureInitialized"/> turns it off where the
    /// CPU's cache information is hidden (<see cref="CpuCacheInformationVisible"/>): NNPACK cannot initialise there, and
    /// LibTorch would log a warning for every small-batch convolution.
    /// </summary>
    /// <returns>LibTorch's NNPACK switch; call after <see cref="EnsureInitialized"/>.</returns>
    internal static bool NnpackEnabled() => NativeMethods.NnpackEnabled();

    /// <summary>Tells whether this machine's kernel exposes CPU cache information (oneDNN needs it on Linux).</summary>
    /// <returns><see langword="true"/> when oneDNN can size its blocks from the caches.</returns>
    public static bool CpuCacheInformationVisible() =>
        !OperatingSystem.IsLinux() || Directory.Exists("/sys/devices/system/cpu/cpu0/cache");

    /// <summary>Builds the message shown when LibTorch's native library cannot be loaded.</summary>
    /// <param name="glibcxxPresent">Whether the C++ runtime provides <c>GLIBCXX_3.4.32</c>, or null if unknown.</param>
    /// <returns>A one-paragraph message with the cause and the fix.</returns>
    internal static string LoadFailureMessage(bool? glibcxxPresent) => glibcxxPresent == false
        ? $"LibTorch could not be loaded: the C++ runtime (libstdc++) lacks {RequiredGlibcxx}, which TorchSharp 0.107 needs " +
          "(GCC 13 or newer). On Debian 12 install Debian 13's libstdc++6, e.g. with the repository's " +
          "'sudo bash eng/install-native-runtime.sh' (docs/installation.md); Ubuntu 24.04+, Debian 13+ and Fedora 39+ have it."
        : "LibTorch could not be loaded. Reference exactly one native LibTorch package next to BackdoorKit " +
          "(TorchSharp-cpu for CPU, or TorchSharp-cuda-linux / TorchSharp-cuda-windows for CUDA) and check that its " +
          "native files were copied to the output folder (docs/installation.md).";

    /// <summary>Tells whether the process's libstdc++ provides the symbol version LibTorchSharp needs.</summary>
    /// <returns>True or false on Linux when a libstdc++ was found; null elsewhere.</returns>
    internal static bool? HasRequiredGlibcxx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string[] candidates =
        [
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        byte[] needle = System.Text.Encoding.ASCII.GetBytes(RequiredGlibcxx);
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    private static (string Setting, string Reason) ChooseOneDnn(OneDnnMode mode) => mode switch
    {
        OneDnnMode.Default => ("default", "requested"),
        OneDnnMode.CapAtAvx => ("avx-cap", "requested"),
        OneDnnMode.Disabled => ("disabled", "requested"),
        _ when !CpuCacheInformationVisible() =>
            ("avx-cap", "the kernel hides CPU cache information, where oneDNN's 1x1 convolution backward crashes with SIGFPE"),
        _ => ("default", "CPU cache information is visible"),
    };

    private static void LoadLibTorch()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException)
        {
            throw new NativeRuntimeException(LoadFailureMessage(HasRequiredGlibcxx()), e);
        }
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static void WarnIfIgnored(NativeRuntimeOptions? options, ILogger? logger)
    {
        if (options is not null && optionsInForce is { } inForce && options != inForce)
        {
            LogIgnoredOptions(logger ?? NullLogger.Instance, options, inForce);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "LibTorch is already initialised with {InForce}; these options change nothing: {Ignored}. Initialise it once at the entry point (TorchRuntime.EnsureInitialized) with the options you want")]
    private static partial void LogIgnoredOptions(ILogger logger, NativeRuntimeOptions ignored, NativeRuntimeOptions inForce);

    [LoggerMessage(Level = LogLevel.Information, Message = "oneDNN: {Setting} ({Reason}); override with BACKDOORKIT_ONEDNN=auto|default|avx|off")]
    private static partial void LogOneDnn(ILogger logger, string setting, string reason);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "memory allocator without huge pages ({Setting}): every tensor over 32 MB is a fresh mmap whose pages the kernel zeroes " +
                  "each step (large models train several times slower); start the process with {Variable}={Tunable} (docs/performance.md)")]
    private static partial void LogSmallPages(ILogger logger, string setting, string variable, string tunable);

    private static partial class NativeMethods
    {
        public static void SetNativeEnvironment(string name, string value, bool overwrite = true)
        {
            if (!overwrite && Environment.GetEnvironmentVariable(name) is not null)
            {
                return;
            }

            if (OperatingSystem.IsWindows())
            {
                Environment.SetEnvironmentVariable(name, value);
                return;
            }

            _ = SetEnv(name, value, 1);
        }

        public static void DisableMkldnn()
        {
            IntPtr context = GlobalContext();
            SetUserEnabledMkldnn(context, false);
        }

        public static void DisableNnpack() => SetUserEnabledNnpack(GlobalContext(), false);

        public static bool NnpackEnabled() => UserEnabledNnpack(GlobalContext());

        public static void KeepFreedMemory()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            try
            {
                // glibc: M_TRIM_THRESHOLD (-1) 256 MB, M_MMAP_THRESHOLD (-3) 32 MB, its maximum on 64-bit. Other C
                // libraries lack mallopt and keep their defaults.
                _ = MallOpt(-1, 256 << 20);
                _ = MallOpt(-3, 32 << 20);
            }
            catch (EntryPointNotFoundException)
            {
            }
        }

        [LibraryImport("libc", EntryPoint = "mallopt")]
        private static partial int MallOpt(int parameter, int value);

        [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int SetEnv(string name, string value, int overwrite);

        [LibraryImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        private static partial IntPtr GlobalContext();

        [LibraryImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [LibraryImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        private static partial bool UserEnabledNnpack(IntPtr context);

        [LibraryImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    }
}
