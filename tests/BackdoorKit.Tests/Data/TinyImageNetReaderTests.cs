using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Data;

public class TinyImageNetReaderTests
{
    private static readonly string[] Wnids = ["n02", "n01", "n03"];

    [Fact]
    public void Read_Layout_LabelsFollowWnidsOrderAndFilesAreSortedByName()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Path, Wnids, trainPerClass: 2);

        using DatasetSplits splits = new TinyImageNetReader().Read(dir.Path);

        splits.Train.Images.shape.Should().Equal(6, 3, 8, 8);
        splits.Train.LabelArray().Should().Equal(0, 0, 1, 1, 2, 2);
        splits.Test.LabelArray().Should().Equal(0, 1, 2); // val_0, val_1, val_2 after sorting by file name
        splits.Train.ClassNames.Should().Equal("name0", "name1", "n03"); // last wnid has no words.txt line
        AssertColor(splits.Train, 0, DatasetFixtures.TinyColor(0, 0)); // n02_0.JPEG sorts before n02_1.JPEG
        AssertColor(splits.Train, 3, DatasetFixtures.TinyColor(1, 1));
        AssertColor(splits.Test, 2, DatasetFixtures.TinyColor(2, 4));
    }

    [Fact]
    public void Read_ParentOfExtractedArchive_FindsTheFiles()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Combine("tiny-imagenet-200"), Wnids, trainPerClass: 1);

        using DatasetSplits splits = new TinyImageNetReader().Read(dir.Path);

        splits.Train.Count.Should().Be(3);
    }

    [Fact]
    public void Read_UnknownWnidInAnnotations_ThrowsNamingWnidAndLine()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Path, Wnids, trainPerClass: 1);
        File.AppendAllText(dir.Combine("val", "val_annotations.txt"), "val_0.JPEG\tn99\t0\t0\t7\t7\n");

        Action act = () => new TinyImageNetReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("val_annotations.txt").And.Contain("unknown wnid 'n99' on line 4");
    }

    [Fact]
    public void Read_UndecodableJpeg_ThrowsNamingTheFile()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Path, Wnids, trainPerClass: 2);
        File.WriteAllBytes(dir.Combine("train", "n01", "images", "n01_1.JPEG"), [0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02]);

        Action act = () => new TinyImageNetReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain("n01_1.JPEG").And.Contain("undecodable image");
    }

    [Fact]
    public void Read_ImageOfAnotherSize_ThrowsNamingFileAndBothSizes()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Path, Wnids, trainPerClass: 1);
        DatasetFixtures.WriteSolidImage(dir.Combine("val", "images", "val_1.JPEG"), 10, 6, new Rgb24(1, 2, 3));

        Action act = () => new TinyImageNetReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should()
            .Contain("val_1.JPEG").And.Contain("10x6").And.Contain("8x8");
    }

    [Fact]
    public void Read_MissingClassFolder_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(dir.Path, Wnids, trainPerClass: 1);
        Directory.Delete(dir.Combine("train", "n03"), recursive: true);

        Action act = () => new TinyImageNetReader().Read(dir.Path);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain(Path.Combine("n03", "images")).And.Contain("missing");
    }

    private static void AssertColor(ImageDataset dataset, int index, Rgb24 expected)
    {
        // JPEG at quality 100 keeps a solid color within a couple of levels.
        dataset.Images[index, 0, 4, 4].item<byte>().Should().BeCloseTo(expected.R, 3);
        dataset.Images[index, 1, 4, 4].item<byte>().Should().BeCloseTo(expected.G, 3);
        dataset.Images[index, 2, 4, 4].item<byte>().Should().BeCloseTo(expected.B, 3);
    }
}
