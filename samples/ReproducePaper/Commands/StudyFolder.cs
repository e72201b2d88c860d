using BackdoorKit.Experiments;
using BackdoorKit.Results;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>A study's output folder: its matrix (<c>matrix.json</c>) and result store (<c>results.sqlite</c>).</summary>
internal static class StudyFolder
{
    public const string MatrixFile = "matrix.json";

    /// <summary>Reads the matrix a folder was run with.</summary>
    public static ExperimentMatrix ReadMatrix(string folder)
    {
        string path = Path.Combine(folder, MatrixFile);
        return File.Exists(path)
            ? ExperimentMatrix.Load(path)
            : throw new UsageException($"{path} not found: '{folder}' is not a study folder (run 'ReproducePaper run --out {folder}' first)");
    }

    /// <summary>Opens the result store of an existing study folder.</summary>
    public static SqliteResultStore OpenExistingStore(string folder)
    {
        string path = Path.Combine(folder, SqliteResultStore.FileName);
        return File.Exists(path)
            ? new SqliteResultStore(path)
            : throw new UsageException($"{path} not found: '{folder}' holds no results yet");
    }

    /// <summary>Resolves the matrix named by <c>--preset</c> or <c>--matrix</c> (exactly one).</summary>
    /// <returns>The matrix, and the option that names it, for messages.</returns>
    public static (ExperimentMatrix Matrix, string Source) MatrixFromOptions(CommandLine line)
    {
        (ExperimentMatrix matrix, IReadOnlyList<string> arguments) = MatrixAndArguments(line);
        return (matrix, string.Join(' ', arguments));
    }

    /// <summary>Resolves the matrix named by <c>--preset</c> or <c>--matrix</c> (exactly one).</summary>
    /// <returns>The matrix, and the arguments that name it for scripts that rerun it (<c>--matrix</c> with the full path).</returns>
    public static (ExperimentMatrix Matrix, IReadOnlyList<string> Arguments) MatrixAndArguments(CommandLine line)
    {
        string? preset = line.Optional("preset");
        string? file = line.Optional("matrix");
        return (preset, file) switch
        {
            (null, null) => throw new UsageException("give --preset quick|paper or --matrix FILE.json"),
            (not null, not null) => throw new UsageException("give either --preset or --matrix, not both"),
            (not null, _) => (KnownMatrices.All.FirstOrDefault(m => m.Name == preset)
                ?? throw new UsageException($"option --preset '{preset}' is not allowed; allowed: {string.Join(", ", KnownMatrices.All.Select(m => m.Name))}"),
                ["--preset", preset]),
            _ => File.Exists(file) ? (ExperimentMatrix.Load(file!), ["--matrix", Path.GetFullPath(file!)]) : throw new UsageException($"{file}: matrix file not found"),
        };
    }
}
