using System.IO.Compression;

namespace BackdoorKit.Data.Readers;

/// <summary>Finds and reads dataset files: the folder among the path forms the official archives extract to, required files, text and raw or gzip bytes.</summary>
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
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException(
                $"The {datasetName} folder '{root}' does not exist; looked for {lookedFor} in: {where}.");
        }

        throw new DatasetFormatException(
            Path.Combine(root, lookedFor), $"missing: no {datasetName} files found; looked for {lookedFor} in: {where}");
    }

    /// <summary>Throws when a file that must exist does not.</summary>
    /// <param name="filePath">The file.</param>
    /// <returns>The file path.</returns>
    public static string RequireFile(string filePath) =>
        File.Exists(filePath) ? filePath : throw new DatasetFormatException(filePath, "missing: the file does not exist");

    /// <summary>Throws when a folder that must exist does not.</summary>
    /// <param name="folderPath">The folder.</param>
    /// <returns>The folder path.</returns>
    public static string RequireFolder(string folderPath) =>
        Directory.Exists(folderPath) ? folderPath : throw new DatasetFormatException(folderPath, "missing: the folder does not exist");

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
