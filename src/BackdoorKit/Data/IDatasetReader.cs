namespace BackdoorKit.Data;

/// <summary>Reads a dataset stored on disk in one known format into memory.</summary>
/// <remarks>
/// Implementations return images as RGB <c>uint8 [N, 3, H, W]</c> at the files' native resolution, labels as
/// <c>int64 [N]</c>, and the class names. Corrupt, truncated or missing files fail with
/// <see cref="DatasetFormatException"/>; a missing dataset folder fails with <see cref="DirectoryNotFoundException"/>.
/// </remarks>
public interface IDatasetReader
{
    /// <summary>Gets the format's short name, such as <c>mnist</c>.</summary>
    string Name { get; }

    /// <summary>Reads the training and test splits.</summary>
    /// <param name="path">The folder holding the files, or a parent folder as the official archives extract.</param>
    /// <param name="cancellationToken">Stops reading between files or images.</param>
    /// <returns>The two splits; the caller owns and disposes them.</returns>
    DatasetSplits Read(string path, CancellationToken cancellationToken = default);
}
