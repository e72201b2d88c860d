using System.Runtime.InteropServices;
using System.Text;

namespace BackdoorKit.Runtime;

/// <summary>
/// Huge pages for glibc's allocator on Linux. glibc serves every block over 32 MB (its largest mmap threshold) with a
/// fresh <c>mmap</c> whose 4 KB pages the kernel zeroes on first touch, every training step: large gradients,
/// activations and temporaries then cost more than the arithmetic (AlexNet's paper-policy step at 224 px, batch 4:
/// 1,464 ms without, 400 ms with). Where transparent huge pages are in <c>madvise</c> mode, glibc asks for them only
/// when <c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c> is set before the process starts; it cannot be turned on later.
/// </summary>
public static partial class HugePages
{
    /// <summary>The environment variable glibc reads its tunables from at process start.</summary>
    public const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>The tunable that makes glibc's malloc request transparent huge pages.</summary>
    public const string Tunable = "glibc.malloc.hugetlb=1";

    /// <summary>Set to <c>off</c> (or <c>0</c>, <c>false</c>) to stop <see cref="RestartWithHugePagesIfNeeded"/> from restarting.</summary>
    public const string OptOutVariable = "BACKDOORKIT_HUGE_PAGES";

    /// <summary>Set in the restarted process, so that it never restarts again.</summary>
    internal const string RestartedVariable = "BACKDOORKIT_HUGE_PAGES_RESTARTED";

    private const string TunableName = "glibc.malloc.hugetlb";
    private const string ThpSettingFile = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>
    /// Gets the allocator setting in force, recorded with every result: <c>hugetlb=VALUE,thp=MODE</c> on Linux (VALUE is
    /// the <c>glibc.malloc.hugetlb</c> tunable or <c>unset</c>; MODE is the kernel's transparent-huge-page mode:
    /// <c>always</c>, <c>madvise</c>, <c>never</c> or <c>unknown</c>), <c>default</c> elsewhere.
    /// </summary>
    public static string Setting => OperatingSystem.IsLinux()
        ? Describe(Environment.GetEnvironmentVariable(TunablesVariable), ReadThpMode())
        : "default";

    /// <summary>
    /// Gets a value indicating whether large allocations get huge pages: not Linux (nothing to do), THP in
    /// <c>always</c> mode, or the tunable set.
    /// </summary>
    public static bool Active => !OperatingSystem.IsLinux() || IsActive(Environment.GetEnvironmentVariable(TunablesVariable), ReadThpMode());

    /// <summary>
    /// Replaces the current process with a fresh start of itself that has <see cref="Tunable"/> added to
    /// <see cref="TunablesVariable"/>, when that helps: on Linux, THP in <c>madvise</c> mode, the tunable not set (any
    /// explicit value is respected), not opted out through <see cref="OptOutVariable"/>, and not restarted before. The
    /// new program image keeps the process id, arguments, environment, open standard streams and signal routing, so
    /// shells, Slurm and <c>kill</c> see one process and its exit code. Call it first thing in <c>Main</c>, before any
    /// output or native library. Returns only when no restart happens or it fails (the process then runs on, slower).
    /// </summary>
    public static void RestartWithHugePagesIfNeeded()
    {
        if (!OperatingSystem.IsLinux() || !ShouldRestart(
            Environment.GetEnvironmentVariable(TunablesVariable),
            Environment.GetEnvironmentVariable(OptOutVariable),
            Environment.GetEnvironmentVariable(RestartedVariable),
            ReadThpMode()))
        {
            return;
        }

        string[] arguments;
        try
        {
            // The exact original argument vector, host options included (e.g. "dotnet exec app.dll ...").
            arguments = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables();
        var variables = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            string name = (string)entry.Key;
            if (name is not TunablesVariable and not RestartedVariable)
            {
                variables.Add($"{name}={entry.Value}");
            }
        }

        variables.Add($"{TunablesVariable}={WithTunable(Environment.GetEnvironmentVariable(TunablesVariable))}");
        variables.Add($"{RestartedVariable}=1");
        NativeMethods.Exec("/proc/self/exe", arguments, [.. variables]);
    }

    /// <summary>Formats the setting from the tunables text and the kernel's THP mode.</summary>
    internal static string Describe(string? tunables, string thpMode) => $"hugetlb={TunableValue(tunables) ?? "unset"},thp={thpMode}";

    /// <summary>Tells whether malloc gets huge pages with these tunables in this THP mode.</summary>
    internal static bool IsActive(string? tunables, string thpMode) =>
        thpMode == "always" || (thpMode == "madvise" && TunableValue(tunables) is string value && value != "0");

    /// <summary>Decides whether a restart with the tunable helps and is allowed.</summary>
    internal static bool ShouldRestart(string? tunables, string? optOut, string? restarted, string thpMode) =>
        thpMode == "madvise"
        && TunableValue(tunables) is null
        && string.IsNullOrEmpty(restarted)
        && optOut?.Trim().ToLowerInvariant() is not ("off" or "0" or "false" or "no");

    /// <summary>Gets the value of <c>glibc.malloc.hugetlb</c> in a <c>GLIBC_TUNABLES</c> text (the last one wins), or null.</summary>
    internal static string? TunableValue(string? tunables) =>
        tunables?.Split(':').Select(t => t.Split('=', 2)).LastOrDefault(t => t.Length == 2 && t[0].Trim() == TunableName)?[1].Trim();

    /// <summary>Adds the tunable to an existing <c>GLIBC_TUNABLES</c> text, keeping the others.</summary>
    internal static string WithTunable(string? tunables) => string.IsNullOrEmpty(tunables) ? Tunable : $"{tunables}:{Tunable}";

    /// <summary>Reads the bracketed mode from the kernel's THP setting text (<c>always [madvise] never</c>).</summary>
    internal static string ParseThpMode(string? text)
    {
        int start = text?.IndexOf('[', StringComparison.Ordinal) ?? -1;
        int end = start >= 0 ? text!.IndexOf(']', start) : -1;
        return end > start + 1 ? text![(start + 1)..end] : "unknown";
    }

    /// <summary>Reads the kernel's transparent-huge-page mode: <c>always</c>, <c>madvise</c>, <c>never</c> or <c>unknown</c>.</summary>
    internal static string ReadThpMode()
    {
        try
        {
            return ParseThpMode(File.Exists(ThpSettingFile) ? File.ReadAllText(ThpSettingFile) : null);
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static unsafe partial class NativeMethods
    {
        /// <summary>Calls <c>execve</c>; returns only when it fails.</summary>
        public static void Exec(string path, string[] arguments, string[] environment)
        {
            var allocated = new List<IntPtr>();
            try
            {
                IntPtr[] argv = ToNullTerminated(arguments, allocated);
                IntPtr[] envp = ToNullTerminated(environment, allocated);
                byte[] file = Encoding.UTF8.GetBytes(path + "\0");
                fixed (byte* filePointer = file)
                fixed (IntPtr* argvPointer = argv)
                fixed (IntPtr* envpPointer = envp)
                {
                    _ = ExecVe(filePointer, argvPointer, envpPointer);
                }
            }
            finally
            {
                foreach (IntPtr pointer in allocated)
                {
                    Marshal.FreeCoTaskMem(pointer);
                }
            }
        }

        private static IntPtr[] ToNullTerminated(string[] values, List<IntPtr> allocated)
        {
            var pointers = new IntPtr[values.Length + 1];
            for (int i = 0; i < values.Length; i++)
            {
                pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
                allocated.Add(pointers[i]);
            }

            return pointers;
        }

        [LibraryImport("libc", EntryPoint = "execve")]
        private static partial int ExecVe(byte* path, IntPtr* argv, IntPtr* envp);
    }
}
