using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;
using TorchSharp;

namespace BackdoorKit.Tests.Data;

public class MnistReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_RawOrGzipFiles_ReturnsRgbImagesLabelsAndDigitNames(bool gzip)
    {
        using var dir = new TempDirectory();
        (byte[] trainLabels, byte[] testLabels) = DatasetFixtures.WriteSmallMnist(dir.Path, gzip);

        using DatasetSplits splits = new MnistReader().Read(dir.Path);

        splits.Train.Images.shape.Should().Equal(5, 3, 28, 28);
        splits.Test.Images.shape.Should().Equal(3, 3, 28, 28);
        splits.Train.Images.dtype.Should().Be(torch.ScalarType.Byte);
        splits.Train.LabelArray().Should().Equal(trainLabels.Select(l => (long)l));
        splits.Test.LabelArray().Should().Equal(testLabels.Select(l => (long)l));
        splits.Train.ClassNames.Should().Equal("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        splits.Train.SourceChannels.Should().Be(1);
        splits.Test.Name.Should().Be("mnist-test");
    }

    [Fact]
    public void Read_GrayPixels_AreReplicatedToEveryChannelAtTheirPosition()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);

        using DatasetSplits splits = new MnistReader().Read(dir.Path);

        byte[] expected = DatasetFixtures.MnistImage(11); // second test image
        int row = 3, column = 17;
        for (int c = 0; c < 3; c++)
        {
            splits.Test.Images[1, c, row, column].item<byte>().Should().Be(expected[(row * 28) + column]);
        }

        splits.Train.Images[4, 2, 27, 0].item<byte>().Should().Be(DatasetFixtures.MnistImage(4)[27 * 28]);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("MNIST/raw")]
    public void Read_ParentFolderForms_FindTheFiles(string subFolder)
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Combine(subFolder.Split('/')), gzip: true);

        using DatasetSplits splits = new MnistReader().Read(dir.Path);

        splits.Train.Count.Should().Be(5);
    }

    [Fact]
    public void Read_BadImageMagic_ThrowsNamingFileAndMagic()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxImages(dir.Combine("t10k-images-idx3-ubyte"), [DatasetFixtures.MnistImage(0)], magic: 2049);

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>()
            .Which.Message.Should().Contain("t10k-images-idx3-ubyte").And.Contain("bad magic number 2049").And.Contain("2051");
    }

    [Fact]
    public void Read_BadLabelMagic_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxLabels(dir.Combine("train-labels-idx1-ubyte"), [5, 0, 4, 1, 9], magic: 2051);

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>()
            .Which.Message.Should().Contain("train-labels-idx1-ubyte").And.Contain("bad magic number");
    }

    [Fact]
    public void Read_TruncatedImageFile_ThrowsWithHeaderAndActualLength()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxImages(dir.Combine("train-images-idx3-ubyte"), [DatasetFixtures.MnistImage(0)], count: 60000);

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("train-images-idx3-ubyte").And.Contain("truncated")
            .And.Contain("60000 images of 28x28 (47040016 bytes)").And.Contain($"has {16 + 784} bytes");
    }

    [Fact]
    public void Read_TruncatedGzipFile_SaysDecompressed()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path, gzip: true);
        using (var file = File.Create(dir.Combine("t10k-labels-idx1-ubyte.gz")))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write([0, 0, 8, 1, 0, 0, 0, 3, 7]);
        }

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("t10k-labels-idx1-ubyte.gz").And.Contain("truncated").And.Contain("decompressed file has 9 bytes");
    }

    [Fact]
    public void Read_LabelOutOfRange_ThrowsNamingLabelAndIndex()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxLabels(dir.Combine("train-labels-idx1-ubyte"), [5, 0, 12, 1, 9]);

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("train-labels-idx1-ubyte").And.Contain("label 12 at index 2").And.Contain("0..9");
    }

    [Fact]
    public void Read_CountMismatch_ThrowsNamingBothCounts()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxLabels(dir.Combine("t10k-labels-idx1-ubyte"), [1, 2]);

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("t10k-labels-idx1-ubyte").And.Contain("count mismatch: 2 labels").And.Contain("3 images");
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);
        File.Delete(dir.Combine("t10k-labels-idx1-ubyte"));

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("t10k-labels-idx1-ubyte").And.Contain("missing");
    }

    [Fact]
    public void Read_FolderWithoutMnist_ListsTheFoldersLookedIn()
    {
        using var dir = new TempDirectory();

        Action act = () => new MnistReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("train-images-idx3-ubyte").And.Contain(Path.Combine(dir.Path, "MNIST", "raw"));
    }

    [Fact]
    public void Read_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var dir = new TempDirectory();

        Action act = () => new MnistReader().Read(dir.Combine("nowhere"));

        act.Should().Throw<DirectoryNotFoundException>().Which.Message.Should().Contain("nowhere");
    }

    [Fact]
    public void Read_CancelledToken_Throws()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(dir.Path);

        Action act = () => new MnistReader().Read(dir.Path, new CancellationToken(canceled: true));

        act.Should().Throw<OperationCanceledException>();
    }
}
