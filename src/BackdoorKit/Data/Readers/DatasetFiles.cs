using System.IO.Compression;
using BackdoorKit.IO;

namespace BackdoorKit.Data.Readers;

/// <summary>
/// Finds and reads dataset files: the folder among the path forms the official archives extract to, required files,
/// text and raw or gzip bytes. Only regular files are opened: FIFOs, devices and sockets are refused before they could
/// block a read or never end, and names read from listing files must stay inside the folder they are relative to.
/// </summary>
internal static class DatasetFiles
{
    /// <summary>Returns the first of <paramref name="path"/> and its candidate sub-folders that holds the marker file.</summary>
    /// <param name="path">The path the user gave.</param>
    /// <param name="datasetName">The dataset's name, for messages.</param>
    /// <param name="holdsDataset">Tells whether a folder holds the dataset (e.g. contains its first file).</param>
    /// <param name="lookedFor">What <paramref name="holdsDataset"/> looks for, for messages.</param>
    /// <param name="subFolders">Relative sub-folders to try after the path itself.</param>
    /// <returns>The folder holding the files.</returns>
    public static string Resolve(
        string path, string datasetName, Func<string, bool> holdsDataset, string lookedFor, params string[] subFolders)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string root = Path.GetFullPath(path);
        string[] candidates = [root, .. subFolders.Select(s => Path.Combine(root, s))];
        string? found = candidates.FirstOrDefault(c => Directory.Exists(c) && holdsDataset(c));
        if (found is not null)
        {
            return found;
        }

        string where = string.Join(", ", candidates);
        FileType type = FileTypes.Of(root);
        if (type is not (FileType.Directory or FileType.Missing))
        {
            throw new DatasetFormatException(
                root, $"not a folder: the path is {FileTypes.Describe(type)}; expected the {datasetName} folder holding {lookedFor}");
        }

        if (type == FileType.Missing)
        {
            throw new DirectoryNotFoundException(
                $"The {datasetName} folder '{root}' does not exist; looked for {lookedFor} in: {where}.");
        }

        throw new DatasetFormatException(
            Path.Combine(root, lookedFor), $"missing: no {datasetName} files found; looked for {lookedFor} in: {where}");
    }

    /// <summary>Throws when a file that must exist does not, or is not a regular file (a folder, FIFO, device or socket).</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>The file path.</returns>
    public static string RequireFile(string filePath) => IsPresent(filePath)
        ? filePath
        : throw new DatasetFormatException(filePath, "missing: the file does not exist");

    /// <summary>Tells whether an optional file is there, throwing when something other than a regular file is.</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>True for a regular file, false when nothing exists at the path.</returns>
    public static bool IsPresent(string filePath)
    {
        FileType type = FileTypes.Of(filePath);
        return type switch
        {
            FileType.Regular => true,
            FileType.Missing => false,
            _ => throw new DatasetFormatException(
                filePath, $"not a regular file: the path is {FileTypes.Describe(type)}; expected a regular file"),
        };
    }

    /// <summary>Throws when a folder that must exist does not, or is a file.</summary>
    /// <param name="folderPath">The folder.</param>
    /// <returns>The folder path.</returns>
    public static string RequireFolder(string folderPath)
    {
        FileType type = FileTypes.Of(folderPath);
        return type switch
        {
            FileType.Directory => folderPath,
            FileType.Missing => throw new DatasetFormatException(folderPath, "missing: the folder does not exist"),
            _ => throw new DatasetFormatException(
                folderPath, $"not a folder: the path is {FileTypes.Describe(type)}; expected a folder"),
        };
    }

    /// <summary>
    /// Joins a name read from a listing file (a file or folder name relative to <paramref name="folder"/>) to that
    /// folder, refusing absolute names and names that lead outside it (<c>..</c>), so no file elsewhere is ever opened.
    /// </summary>
    /// <param name="folder">The folder the names are relative to.</param>
    /// <param name="name">The name as read.</param>
    /// <param name="listingFile">The file the name was read from, for messages.</param>
    /// <param name="lineNumber">The 1-based line the name is on, for messages.</param>
    /// <returns>The full path, inside <paramref name="folder"/>.</returns>
    public static string Inside(string folder, string name, string listingFile, int lineNumber)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string full = Path.GetFullPath(Path.Combine(root, name));
        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (Path.IsPathRooted(name) || !full.StartsWith(root + Path.DirectorySeparatorChar, comparison))
        {
            throw new DatasetFormatException(
                listingFile,
                $"unsafe name '{name}' on line {lineNumber}: it does not stay inside {root}; expected a name relative to that folder");
        }

        return full;
    }

    /// <summary>Reads the non-blank, trimmed lines of a text file that must exist.</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>The lines, in order.</returns>
    public static string[] ReadNonBlankLines(string filePath) =>
        File.ReadAllLines(RequireFile(filePath)).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    /// <summary>Reads a whole file, decompressing it when its name ends with <c>.gz</c>.</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>The (decompressed) bytes.</returns>
    public static byte[] ReadBytes(string filePath)
    {
        RequireFile(filePath);
        if (!IsGzip(filePath))
        {
            return File.ReadAllBytes(filePath);
        }

        try
        {
            using FileStream file = File.OpenRead(filePath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(filePath, $"corrupt gzip data: {e.Message}", e);
        }
    }

    /// <summary>Tells whether a file name says gzip.</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>True for <c>.gz</c> names.</returns>
    public static bool IsGzip(string filePath) => filePath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
