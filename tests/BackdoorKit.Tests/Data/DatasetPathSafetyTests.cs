using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Experiments;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Reliability;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Data;

/// <summary>
/// Readers open only regular files inside the dataset folder: names read from listing files may not lead outside it,
/// and FIFOs or devices are refused by type before they could block a read or never end.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class DatasetPathSafetyTests : IDisposable
{
    private static readonly string[] Wnids = ["n01", "n02"];
    private readonly TempDirectory dir = new();
    private readonly string tiny;

    public DatasetPathSafetyTests()
    {
        tiny = dir.Combine("tiny");
        DatasetFixtures.WriteTinyImageNet(tiny, Wnids, trainPerClass: 1);
    }

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("../../outside.JPEG")]
    [InlineData("../images/../../../outside.JPEG")]
    [InlineData("ABSOLUTE")]
    public void TinyImageNet_AnnotatedFileOutsideTheFolder_IsRefusedByLineAndNeverOpened(string name)
    {
        // A valid 8x8 JPEG outside the dataset: read through the annotations, it would silently join the test split.
        string outside = dir.Combine("outside.JPEG");
        DatasetFixtures.WriteSolidImage(outside, 8, 8, new Rgb24(9, 9, 9));
        string annotations = Path.Combine(tiny, "val", "val_annotations.txt");
        File.AppendAllText(annotations, $"{(name == "ABSOLUTE" ? outside : name)}\tn01\t0\t0\t7\t7\n");

        Refusals.Expect<DatasetFormatException>(() => new TinyImageNetReader().Read(tiny), annotations, "unsafe name", "line 3");
    }

    [Fact]
    public void TinyImageNet_AnnotatedNameOfAFifoOutsideTheFolder_IsRefusedWithoutOpeningIt()
    {
        SpecialFiles.Fifo(dir.Combine("outside.JPEG"));
        string annotations = Path.Combine(tiny, "val", "val_annotations.txt");
        File.AppendAllText(annotations, "../../../outside.JPEG\tn02\t0\t0\t7\t7\n");

        Refusals.Expect<DatasetFormatException>(() => new TinyImageNetReader().Read(tiny), annotations, "unsafe name", "line 3");
    }

    [Theory]
    [InlineData("../../elsewhere")]
    [InlineData("/tmp")]
    public void TinyImageNet_WnidLeadingOutsideTheTrainFolder_IsRefusedByLine(string wnid)
    {
        string wnidsFile = Path.Combine(tiny, "wnids.txt");
        File.AppendAllText(wnidsFile, wnid + "\n");

        Refusals.Expect<DatasetFormatException>(() => new TinyImageNetReader().Read(tiny), wnidsFile, "unsafe name", "line 3");
    }

    [Theory]
    [InlineData("mnist", "train-images-idx3-ubyte")]
    [InlineData("mnist", "t10k-labels-idx1-ubyte")]
    [InlineData("cifar10", "test_batch.bin")]
    [InlineData("cifar10", "batches.meta.txt")]
    public void DatasetFile_ThatIsAFifo_IsRefusedByTypeWithoutBlocking(string dataset, string file)
    {
        if (dataset == "mnist")
        {
            DatasetFixtures.WriteSmallMnist(dir.Path);
        }
        else
        {
            DatasetFixtures.WriteSmallCifar10(dir.Path);
        }

        SpecialFiles.Fifo(dir.Combine(file));

        Refusals.Expect<DatasetFormatException>(
            () => ComponentCatalog.Default.Datasets.Get(dataset).Reader.Read(dir.Path), dir.Combine(file), "not a regular file", "FIFO");
    }

    [Fact]
    public void Mnist_FileThatIsADevice_IsRefusedByType()
    {
        DatasetFixtures.WriteSmallMnist(dir.Path);
        SpecialFiles.NullDevice(dir.Combine("train-labels-idx1-ubyte"));

        Refusals.Expect<DatasetFormatException>(
            () => new MnistReader().Read(dir.Path), dir.Combine("train-labels-idx1-ubyte"), "not a regular file", "character device");
    }

    [Theory]
    [InlineData("words.txt")]
    [InlineData("val/images/val_1.JPEG")]
    [InlineData("train/n02/images/n02_0.JPEG")]
    public void TinyImageNet_FileThatIsAFifo_IsRefusedByTypeWithoutBlocking(string file)
    {
        string path = Path.Combine(tiny, file);
        SpecialFiles.Fifo(path);

        Refusals.Expect<DatasetFormatException>(() => new TinyImageNetReader().Read(tiny), path, "not a regular file", "FIFO");
    }

    [Fact]
    public void ImageFolder_ImageThatIsAFifo_IsRefusedByTypeWithoutBlocking()
    {
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        DatasetFixtures.WriteSolidImage(dir.Combine("test", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        string fifo = SpecialFiles.Fifo(dir.Combine("train", "a", "2.png"));

        Refusals.Expect<DatasetFormatException>(() => new ImageFolderReader().Read(dir.Path), fifo, "not a regular file", "FIFO");
    }

    [Fact]
    public void ImageFolder_TestFolderThatIsAFile_IsRefusedAsNotAFolder()
    {
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        File.WriteAllText(dir.Combine("test"), "a file where the test folder belongs");

        Refusals.Expect<DatasetFormatException>(() => new ImageFolderReader().Read(dir.Path), dir.Combine("test"), "not a folder", "regular file");
    }

    [Fact]
    public void DataCommand_PathThatIsAFile_SaysItIsAFileAndExitsTwo()
    {
        string file = dir.Combine("mnist.tar");
        File.WriteAllText(file, "not a folder");
        string[] args = ["data", "--dataset", "mnist", "--path", file];

        Refusals.Expect<DatasetFormatException>(
            () => KnownDatasets.Mnist.Reader.Read(file), file, "not a folder", "regular file").Message.Should().NotContain("does not exist");
        (int code, _, string error) = ConsoleCapture.Run(args);

        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain(file).And.Contain("regular file").And.NotContain("does not exist");
    }

    [Fact]
    public void DatasetRead_PathThatIsAFifo_SaysSoWithoutBlocking()
    {
        string fifo = SpecialFiles.Fifo(dir.Combine("data.fifo"));

        Refusals.Expect<DatasetFormatException>(
            () => KnownDatasets.Cifar10.Reader.Read(fifo), fifo, "not a folder", "FIFO");
    }

    [Fact]
    public void Message_NameHoldingLineBreaks_StaysOneLine()
    {
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        DatasetFixtures.WriteSolidImage(dir.Combine("test", "a\nb\u2028c", "1.png"), 4, 4, new Rgb24(1, 2, 3));

        Refusals.Expect<DatasetFormatException>(() => new ImageFolderReader().Read(dir.Path), "unknown class 'a b c'");
    }
}
