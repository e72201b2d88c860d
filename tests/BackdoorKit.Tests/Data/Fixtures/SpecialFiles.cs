using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace BackdoorKit.Tests.Data.Fixtures;

/// <summary>Makes FIFOs and device links where a reader expects a regular file (Unix only), and releases FIFOs a broken reader blocks on.</summary>
internal static class SpecialFiles
{
    private const int ReadWrite = 2; // O_RDWR: opening a FIFO this way never blocks and counts as a writer

    private static readonly ConcurrentDictionary<string, bool> Fifos = new(StringComparer.Ordinal);

    /// <summary>Replaces whatever is at <paramref name="path"/> with a FIFO (named pipe) nobody writes to.</summary>
    public static string Fifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        MakeFifo(path, 0x1A4).Should().Be(0, $"mkfifo {path} must succeed");
        Fifos[path] = true;
        return path;
    }

    /// <summary>Replaces whatever is at <paramref name="path"/> with a symbolic link to the character device <c>/dev/null</c>.</summary>
    public static string NullDevice(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        File.CreateSymbolicLink(path, "/dev/null");
        return path;
    }

    /// <summary>Opens and closes every FIFO made here, so a reader blocked opening one gets end-of-file.</summary>
    public static void ReleaseAll()
    {
        foreach (string fifo in Fifos.Keys.Where(File.Exists))
        {
            int descriptor = Open(fifo, ReadWrite);
            if (descriptor >= 0)
            {
                Close(descriptor);
            }
        }
    }

    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
