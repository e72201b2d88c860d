using System.Runtime.InteropServices;

namespace BackdoorKit.IO;

/// <summary>
/// Tells what a path names without opening it, so that FIFOs, devices and sockets are refused before a read could
/// block or never end. <see cref="File.Exists(string?)"/> is true for all of them and .NET exposes no file type.
/// </summary>
/// <remarks>
/// On Unix the type comes from <c>stat</c> (symbolic links are followed) through the runtime's own native shim,
/// <c>SystemNative_Stat</c>, whose status record starts with two 32-bit fields, flags and mode, on every platform;
/// the mode's type bits use the portable <c>S_IF*</c> values. On Windows the file attributes are used.
/// </remarks>
internal static partial class FileTypes
{
    private const int TypeMask = 0xF000;
    private const int StatusBytes = 256; // larger than the runtime's status record on every platform

    /// <summary>Finds the type of what a path names.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The type; <see cref="FileType.Missing"/> when nothing exists there.</returns>
    public static FileType Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return OfWindowsPath(path);
        }

        byte[] status = new byte[StatusBytes];
        try
        {
            if (Stat(path, status) != 0)
            {
                return FileType.Missing;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A runtime without the shim: fall back to what .NET can tell.
            return Directory.Exists(path) ? FileType.Directory : File.Exists(path) ? FileType.Regular : FileType.Missing;
        }

        int mode = MemoryMarshal.Read<int>(status.AsSpan(sizeof(int)));
        return (mode & TypeMask) switch
        {
            0x8000 => FileType.Regular,
            0x4000 => FileType.Directory,
            0x1000 => FileType.Fifo,
            0x2000 => FileType.CharacterDevice,
            0x6000 => FileType.BlockDevice,
            0xC000 => FileType.Socket,
            _ => FileType.Other,
        };
    }

    /// <summary>Names a type for messages, with its article: "a FIFO (named pipe)".</summary>
    /// <param name="type">The type.</param>
    /// <returns>The words.</returns>
    public static string Describe(FileType type) => type switch
    {
        FileType.Missing => "missing",
        FileType.Regular => "a regular file",
        FileType.Directory => "a folder",
        FileType.Fifo => "a FIFO (named pipe)",
        FileType.CharacterDevice => "a character device",
        FileType.BlockDevice => "a block device",
        FileType.Socket => "a socket",
        _ => "a special file",
    };

    private static FileType OfWindowsPath(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return FileType.Missing;
        }

        FileAttributes attributes = File.GetAttributes(path);
        return attributes.HasFlag(FileAttributes.Directory) ? FileType.Directory
            : attributes.HasFlag(FileAttributes.Device) ? FileType.CharacterDevice
            : FileType.Regular;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] status);
}
