using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Data;

public class ImageFolderReaderTests
{
    [Fact]
    public void Read_TrainAndTestFolders_ClassesAreSortedFolderNamesAndPixelsExact()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteGradientImage(dir.Combine("train", "zebra", "b.png"), 5, 4, seed: 1);
        DatasetFixtures.WriteGradientImage(dir.Combine("train", "zebra", "a.bmp"), 5, 4, seed: 2);
        DatasetFixtures.WriteGradientImage(dir.Combine("train", "apple", "x.PNG"), 5, 4, seed: 3);
        DatasetFixtures.WriteGradientImage(dir.Combine("test", "zebra", "t.png"), 3, 3, seed: 4);
        File.WriteAllText(dir.Combine("train", "apple", "notes.txt"), "not an image");

        using DatasetSplits splits = new ImageFolderReader().Read(dir.Path);

        splits.Train.ClassNames.Should().Equal("apple", "zebra");
        splits.Train.LabelArray().Should().Equal(0, 1, 1);
        splits.Test.LabelArray().Should().Equal(1);
        splits.Train.Images.shape.Should().Equal(3, 3, 4, 5);
        splits.Test.Images.shape.Should().Equal(1, 3, 3, 3);

        // train[1] is zebra/a.bmp (seed 2): pixel (x=4, y=3) = (42, 32, 198).
        splits.Train.Images[1, 0, 3, 4].item<byte>().Should().Be(42);
        splits.Train.Images[1, 1, 3, 4].item<byte>().Should().Be(32);
        splits.Train.Images[1, 2, 3, 4].item<byte>().Should().Be(198);
    }

    [Fact]
    public void Read_MixedSizesInASplit_ThrowsNamingFileAndBothSizes()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "b", "2.png"), 6, 5, new Rgb24(1, 2, 3));
        DatasetFixtures.WriteSolidImage(dir.Combine("test", "a", "3.png"), 4, 4, new Rgb24(1, 2, 3));

        Action act = () => new ImageFolderReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("2.png").And.Contain("6x5").And.Contain("4x4").And.Contain("1.png");
    }

    [Fact]
    public void Read_TestClassUnknownToTrain_Throws()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        DatasetFixtures.WriteSolidImage(dir.Combine("test", "q", "1.png"), 4, 4, new Rgb24(1, 2, 3));

        Action act = () => new ImageFolderReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain("unknown class 'q'");
    }

    [Fact]
    public void Read_MissingTestFolder_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "a", "1.png"), 4, 4, new Rgb24(1, 2, 3));

        Action act = () => new ImageFolderReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain(dir.Combine("test")).And.Contain("missing");
    }
}
