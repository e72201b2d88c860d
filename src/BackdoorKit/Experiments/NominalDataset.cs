namespace BackdoorKit.Experiments;

/// <summary>A dataset's nominal shape (see <see cref="NominalDatasets"/>).</summary>
/// <param name="Train">Official training-split size.</param>
/// <param name="Test">Official test-split size.</param>
/// <param name="Side">Native image side in pixels.</param>
/// <param name="SourceChannels">Channels of the source files (1 for gray).</param>
/// <param name="Classes">Number of classes.</param>
internal sealed record NominalDataset(int Train, int Test, int Side, int SourceChannels, int Classes);
