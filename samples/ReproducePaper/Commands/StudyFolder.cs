using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Studies;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>A study's output folder: its matrix (<c>matrix.json</c>), result store (<c>results.sqlite</c>) and lock.</summary>
internal static class StudyFolder
{
    public const string MatrixFile = StudyMatrixFile.FileName;

    /// <summary>Gets the files a study folder owns; exports may not overwrite them.</summary>
    public static IReadOnlyList<string> OwnFiles { get; } =
        [MatrixFile, SqliteResultStore.FileName, SqliteResultStore.FileName + "-wal", SqliteResultStore.FileName + "-shm", StudyLock.FileName];

    /// <summary>Gets the folder where <c>run --save-models</c> keeps a study's trained models.</summary>
    /// <param name="folder">The study folder.</param>
    /// <returns>Its <c>models</c> sub-folder.</returns>
    public static string ModelsDirectory(string folder) => Path.Combine(folder, "models");

    /// <summary>Reads the matrix a folder was run with.</summary>
    public static ExperimentMatrix ReadMatrix(string folder)
    {
        string path = Path.Combine(folder, MatrixFile);
        return File.Exists(path)
            ? ExperimentMatrix.Load(path)
            : throw new UsageException($"{path} not found: '{folder}' is not a study folder (run 'ReproducePaper run --out {folder}' first)");
    }

    /// <summary>
    /// Opens the result store of an existing study folder read-only (works on read-only copies and while a run writes),
    /// and reports damaged rows on stderr; they are skipped.
    /// </summary>
    public static SqliteResultStore OpenExistingStore(string folder)
    {
        string path = Path.Combine(folder, SqliteResultStore.FileName);
        if (Directory.Exists(path))
        {
            throw new UsageException($"{path} is a folder, not a result store");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path} not found: '{folder}' holds no results yet");
        }

        return SqliteResultStore.OpenReadOnly(path);
    }

    /// <summary>Prints one warning line per damaged row the store's last read skipped.</summary>
    public static void WarnDamaged(SqliteResultStore store)
    {
        foreach (string row in store.DamagedRows.Take(20))
        {
            Console.Error.WriteLine($"warning: {row}");
        }

        if (store.DamagedRows.Count > 20)
        {
            Console.Error.WriteLine($"warning: {store.DamagedRows.Count - 20} more damaged rows in {store.Path}");
        }
    }

    /// <summary>Checks that <paramref name="folder"/> can be a study folder (a folder, or creatable), and creates it.</summary>
    public static void CreateForWriting(string option, string folder)
    {
        if (File.Exists(folder))
        {
            throw new UsageException($"option --{option} '{folder}' is a file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"option --{option} '{folder}': cannot create the folder ({e.Message.TrimEnd('.')})");
        }
    }
}
