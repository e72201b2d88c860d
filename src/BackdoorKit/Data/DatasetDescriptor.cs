namespace BackdoorKit.Data;

/// <summary>A dataset the study knows: its name, the reader for its files and the side of its model-input images.</summary>
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
        if (inputSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be at least 1 pixel.");
        }

        Name = name;
        Reader = reader;
        InputSize = inputSize;
    }

    /// <summary>Gets the dataset's name, such as <c>mnist</c>, <c>cifar10</c>, <c>tinyimagenet</c> or <c>folder</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the reader for the dataset's files.</summary>
    public IDatasetReader Reader { get; }

    /// <summary>Gets the side in pixels of the square model-input images (MNIST 64, CIFAR-10 128, TinyImageNet 224).</summary>
    public int InputSize { get; }

    /// <summary>Gets the channels of the source files: 1 for gray (MNIST), 3 for color; gray sources are read as RGB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither 1 nor 3.</exception>
    public int SourceChannels
    {
        get;
        init => field = value is 1 or 3
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SourceChannels), value, $"SourceChannels must be 1 or 3; got {value}.");
    } = 3;
}
