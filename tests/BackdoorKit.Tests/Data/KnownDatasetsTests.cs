using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Data;

public class KnownDatasetsTests
{
    [Theory]
    [InlineData("mnist", 64, typeof(MnistReader))]
    [InlineData("CIFAR10", 128, typeof(Cifar10Reader))]
    [InlineData("tinyimagenet", 224, typeof(TinyImageNetReader))]
    [InlineData("folder", KnownDatasets.DefaultFolderInputSize, typeof(ImageFolderReader))]
    public void Get_KnownName_ReturnsDescriptorWithReaderAndInputSize(string name, int inputSize, Type readerType)
    {
        DatasetDescriptor descriptor = ComponentCatalog.Default.Datasets.Get(name);

        descriptor.Name.Should().Be(name.ToLowerInvariant());
        descriptor.InputSize.Should().Be(inputSize);
        descriptor.Reader.Should().BeOfType(readerType);
        descriptor.Reader.Name.Should().Be(descriptor.Name);
    }

    [Fact]
    public void MnistSample_IsItsOwnDataset_WithTheBundledSplitSizes_NotMnists()
    {
        DatasetDescriptor sample = ComponentCatalog.Default.Datasets.Get("mnist-sample");

        sample.Should().BeSameAs(KnownDatasets.MnistSample);
        sample.Reader.Should().BeOfType<MnistReader>();
        (sample.InputSize, sample.SourceChannels, sample.TrainSplitSize, sample.TestSplitSize).Should().Be((64, 1, 8_576, 1_424));
        (KnownDatasets.Mnist.TrainSplitSize, KnownDatasets.Mnist.TestSplitSize).Should().Be((60_000, 10_000));
    }

    [Theory]
    [InlineData("mnist", 1)]
    [InlineData("cifar10", 3)]
    [InlineData("tinyimagenet", 3)]
    [InlineData("folder", 3)]
    public void SourceChannels_IsOneForGrayDatasetsOnly(string name, int channels) =>
        ComponentCatalog.Default.Datasets.Get(name).SourceChannels.Should().Be(channels);

    [Fact]
    public void Get_UnknownName_ThrowsNamingValueAndAllowedNames()
    {
        Action act = () => ComponentCatalog.Default.Datasets.Get("imagenet");

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("'imagenet'").And.Contain("mnist, mnist-sample, cifar10, tinyimagenet, folder");
    }

    [Fact]
    public void Folder_NonPositiveInputSize_ThrowsNamingParameter()
    {
        Action act = () => KnownDatasets.Folder(0);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("inputSize");
    }
}
