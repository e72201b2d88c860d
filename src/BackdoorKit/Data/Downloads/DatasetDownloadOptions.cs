namespace BackdoorKit.Data.Downloads;

/// <summary>Where <see cref="DatasetDownloader"/> fetches the official files from, and how it verifies them.</summary>
/// <remarks>The base addresses must be absolute and end with <c>/</c>; the downloader checks this when it is built.</remarks>
public sealed record DatasetDownloadOptions
{
    /// <summary>Gets the default options: the datasets' usual hosts and <see cref="PublishedChecksums.Sha256"/>.</summary>
    public static DatasetDownloadOptions Default { get; } = new();

    /// <summary>Gets the folder address of MNIST's four <c>.gz</c> files (defaults to the mirror torchvision uses).</summary>
    public Uri MnistBaseUri { get; init; } = new("https://ossci-datasets.s3.amazonaws.com/mnist/");

    /// <summary>Gets the folder address of <c>cifar-10-binary.tar.gz</c> (defaults to the dataset authors' site).</summary>
    public Uri Cifar10BaseUri { get; init; } = new("https://www.cs.toronto.edu/~kriz/");

    /// <summary>Gets the folder address of <c>tiny-imagenet-200.zip</c> (defaults to the course site that publishes it).</summary>
    public Uri TinyImageNetBaseUri { get; init; } = new("http://cs231n.stanford.edu/");

    /// <summary>Gets the expected SHA-256 digests (hex, any case), keyed by file name.</summary>
    public IReadOnlyDictionary<string, string> ExpectedSha256 { get; init; } = PublishedChecksums.Sha256;

    /// <summary>Gets a value indicating whether a file with no expected digest may be kept unverified
    /// (otherwise the download is refused before it starts).</summary>
    public bool AllowUnverified { get; init; }
}
