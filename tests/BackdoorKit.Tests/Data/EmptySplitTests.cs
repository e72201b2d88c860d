using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;
using ReproducePaper;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Data;

/// <summary>A split without samples fails when the dataset is read, naming its file or folder, not after a whole training.</summary>
[Trait("Category", "Reliability")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class EmptySplitTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("train")]
    [InlineData("t10k")]
    public void Mnist_HeaderDeclaringZeroImages_IsRefusedNamingTheImagesFile(string prefix)
    {
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxImages(dir.Combine($"{prefix}-images-idx3-ubyte"), []);
        DatasetFixtures.WriteIdxLabels(dir.Combine($"{prefix}-labels-idx1-ubyte"), []);

        Refusals.Expect<DatasetFormatException>(
            () => new MnistReader().Read(dir.Path), dir.Combine($"{prefix}-images-idx3-ubyte"), "empty split", "0 images");
    }

    [Theory]
    [InlineData("data_batch_3.bin")]
    [InlineData("test_batch.bin")]
    public void Cifar10_FileWithZeroRecords_IsRefusedAsEmpty(string file)
    {
        DatasetFixtures.WriteSmallCifar10(dir.Path);
        File.WriteAllBytes(dir.Combine(file), []);

        Refusals.Expect<DatasetFormatException>(() => new Cifar10Reader().Read(dir.Path), dir.Combine(file), "empty split", "0 records");
    }

    [Fact]
    public void ImageFolder_TrainClassFoldersWithoutImages_AreRefusedNamingTheTrainFolder()
    {
        Directory.CreateDirectory(dir.Combine("train", "cat"));
        Directory.CreateDirectory(dir.Combine("train", "dog"));
        File.WriteAllText(dir.Combine("train", "dog", "readme.txt"), "no images here");
        DatasetFixtures.WriteSolidImage(dir.Combine("test", "cat", "1.png"), 4, 4, new Rgb24(1, 2, 3));

        Refusals.Expect<DatasetFormatException>(() => new ImageFolderReader().Read(dir.Path), $"{dir.Combine("train")}: empty split");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImageFolder_TestFolderWithoutImages_IsRefusedNamingIt(bool withEmptyClassFolder)
    {
        DatasetFixtures.WriteSolidImage(dir.Combine("train", "cat", "1.png"), 4, 4, new Rgb24(1, 2, 3));
        Directory.CreateDirectory(withEmptyClassFolder ? dir.Combine("test", "cat") : dir.Combine("test"));

        Refusals.Expect<DatasetFormatException>(() => new ImageFolderReader().Read(dir.Path), $"{dir.Combine("test")}: empty split");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\t\n")]
    public void TinyImageNet_EmptyValAnnotations_AreRefusedNamingTheFile(string content)
    {
        DatasetFixtures.WriteTinyImageNet(dir.Path, ["n01", "n02"], trainPerClass: 1);
        File.WriteAllText(dir.Combine("val", "val_annotations.txt"), content);

        Refusals.Expect<DatasetFormatException>(
            () => new TinyImageNetReader().Read(dir.Path), dir.Combine("val", "val_annotations.txt"), "empty split");
    }

    [Fact]
    public void TinyImageNet_TrainWithoutImages_IsRefusedNamingTheTrainFolder()
    {
        DatasetFixtures.WriteTinyImageNet(dir.Path, ["n01", "n02"], trainPerClass: 1);
        foreach (string image in Directory.GetFiles(dir.Combine("train"), "*.JPEG", SearchOption.AllDirectories))
        {
            File.Delete(image);
        }

        Refusals.Expect<DatasetFormatException>(() => new TinyImageNetReader().Read(dir.Path), $"{dir.Combine("train")}: empty split");
    }

    [Fact]
    public void DataCommand_EmptyMnistTestSplit_ExitsTwoInsteadOfSummarizing()
    {
        DatasetFixtures.WriteSmallMnist(dir.Path);
        DatasetFixtures.WriteIdxImages(dir.Combine("t10k-images-idx3-ubyte"), []);
        DatasetFixtures.WriteIdxLabels(dir.Combine("t10k-labels-idx1-ubyte"), []);

        Program.Execute(["data", "--dataset", "mnist", "--path", dir.Path, "--json"], default).Should().Be(2);
    }
}
