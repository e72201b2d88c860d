using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Data;

public class Cifar10ReaderTests
{
    [Fact]
    public void Read_BinaryBatches_ReturnsPlanesInRgbOrderAndLabelsInFileOrder()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Path);

        using DatasetSplits splits = new Cifar10Reader().Read(dir.Path);

        splits.Train.Images.shape.Should().Equal(5, 3, 32, 32);
        splits.Test.Images.shape.Should().Equal(3, 3, 32, 32);
        splits.Train.LabelArray().Should().Equal(6, 9, 9, 4, 1);
        splits.Test.LabelArray().Should().Equal(3, 8, 0);
        splits.Train.ClassNames.Should().HaveCount(10).And.StartWith("airplane").And.EndWith("truck");
        splits.Train.SourceChannels.Should().Be(3);

        byte[] image = DatasetFixtures.CifarImage(3); // train record 3 lives in data_batch_4.bin
        int row = 5, column = 21;
        for (int c = 0; c < 3; c++)
        {
            splits.Train.Images[3, c, row, column].item<byte>().Should().Be(image[(c * 1024) + (row * 32) + column]);
        }

        splits.Test.Images[2, 2, 31, 31].item<byte>().Should().Be(DatasetFixtures.CifarImage(12)[3071]);
    }

    [Fact]
    public void Read_ParentOfExtractedArchive_FindsTheBatches()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Combine("cifar-10-batches-bin"));

        using DatasetSplits splits = new Cifar10Reader().Read(dir.Path);

        splits.Test.Count.Should().Be(3);
    }

    [Fact]
    public void Read_TruncatedBatch_ThrowsNamingFileAndLength()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Path);
        File.WriteAllBytes(dir.Combine("data_batch_2.bin"), new byte[Cifar10Reader.RecordBytes + 100]);

        Action act = () => new Cifar10Reader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("data_batch_2.bin").And.Contain("truncated").And.Contain("3173 bytes").And.Contain("100 bytes left over");
    }

    [Fact]
    public void Read_LabelOutOfRange_ThrowsNamingRecord()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Path);
        File.WriteAllBytes(
            dir.Combine("test_batch.bin"),
            DatasetFixtures.CifarRecords([(1, DatasetFixtures.CifarImage(0)), (10, DatasetFixtures.CifarImage(1))]));

        Action act = () => new Cifar10Reader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("test_batch.bin").And.Contain("label 10 in record 1").And.Contain("0..9");
    }

    [Fact]
    public void Read_MissingTestBatch_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Path);
        File.Delete(dir.Combine("test_batch.bin"));

        Action act = () => new Cifar10Reader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain("test_batch.bin").And.Contain("missing");
    }

    [Fact]
    public void Read_MetaWithWrongClassCount_Throws()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(dir.Path);
        File.WriteAllText(dir.Combine("batches.meta.txt"), "cat\ndog\n");

        Action act = () => new Cifar10Reader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain("batches.meta.txt").And.Contain("2 class names");
    }
}
