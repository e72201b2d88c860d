using System.Security.Cryptography;

namespace BackdoorKit.Tests.Reliability;

/// <summary>Every file below a folder with its SHA-256: equal snapshots mean nothing was created, changed or removed.</summary>
internal static class FolderSnapshot
{
    public static IReadOnlyDictionary<string, string> Of(string folder) => !Directory.Exists(folder)
        ? new Dictionary<string, string>()
        : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(folder, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))),
            StringComparer.Ordinal);
}
