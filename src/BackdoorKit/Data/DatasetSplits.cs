namespace BackdoorKit.Data;

/// <summary>A dataset's training and test splits, read together. Disposing it disposes both.</summary>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split.</param>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset Test) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
