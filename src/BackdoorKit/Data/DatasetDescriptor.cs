namespace BackdoorKit.Data;

/// <summary>
/// A dataset the study knows: its name, the reader for its files, the side of its model-input images and, where
/// known, the sizes of its official splits.
/// </summary>
public sealed record DatasetDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The dataset's name, such as <c>cifar10</c>.</param>
    /// <param name="reader">The reader for the dataset's files.</param>
    /// <param name="inputSize">The side in pixels of the square images fed to the model; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is less than 1.</exception>
    public DatasetDescriptor(string name, IDatasetReader reader, int inputSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(reader);
        Name = name;
        Reader = reader;
        InputSize = inputSize;
    }

    /// <summary>Gets the dataset's name, such as <c>mnist</c>, <c>cifar10</c>, <c>tinyimagenet</c> or <c>folder</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the reader for the dataset's files.</summary>
    public IDatasetReader Reader { get; }

    /// <summary>Gets the side in pixels of the square model-input images (MNIST 64, CIFAR-10 128, TinyImageNet 224).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int InputSize
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException("inputSize", value, "inputSize must be at least 1 pixel.");
    }

    /// <summary>
    /// Gets the number of images in the official training split (MNIST 60,000, CIFAR-10 50,000, TinyImageNet 100,000),
    /// or null where it is unknown (a plain image folder).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? TrainSplitSize
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(TrainSplitSize), value, $"TrainSplitSize must be at least 1; got {value}.");
    }

    /// <summary>
    /// Gets the number of images in the official test split (10,000 for MNIST, CIFAR-10 and TinyImageNet's validation
    /// split), or null where it is unknown (a plain image folder).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? TestSplitSize
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(TestSplitSize), value, $"TestSplitSize must be at least 1; got {value}.");
    }

    /// <summary>
    /// Gets the side in pixels of the stored images (MNIST 28, CIFAR-10 32, TinyImageNet 64), or null where it varies or
    /// is unknown. Time estimates made before any data is read need it, with <see cref="ClassCount"/> and the split sizes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? NativeSide
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(NativeSide), value, $"NativeSide must be at least 1; got {value}.");
    }

    /// <summary>Gets the number of classes (MNIST and CIFAR-10 10, TinyImageNet 200), or null where it is unknown until read.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? ClassCount
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ClassCount), value, $"ClassCount must be at least 1; got {value}.");
    }

    /// <summary>Gets the channels of the source files: 1 for gray (MNIST), 3 for color; gray sources are read as RGB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither 1 nor 3.</exception>
    public int SourceChannels
    {
        get;
        init => field = value is 1 or 3
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SourceChannels), value, $"SourceChannels must be 1 or 3; got {value}.");
    } = 3;

    /// <summary>Gets the number of training images a run with the given limit uses: min(limit, split size).</summary>
    /// <param name="limit">The training-set limit (<c>trainLimit</c>), or null for the whole split.</param>
    /// <returns>
    /// The count; where the split size is unknown, the limit (an upper bound) or null when there is no limit either.
    /// </returns>
    public int? TrainSamples(int? limit) => (limit, TrainSplitSize) switch
    {
        (int l, int n) => Math.Min(l, n),
        (int l, null) => l,
        (null, var n) => n,
    };
}
