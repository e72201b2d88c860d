using BackdoorKit.Data;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Data;

public sealed class ImageDatasetTests
{
    [Fact]
    public void To_CopiesImagesAndLabels_IndependentlyOfTheOriginal()
    {
        using var original = new ImageDataset("d", zeros([4, 3, 2, 2], ScalarType.Byte), arange(4, ScalarType.Int64), ["a", "b", "c", "d"], 1);

        using ImageDataset copy = original.To(CPU);
        original.Images.fill_(7);
        original.Labels.fill_(0);

        copy.Images.max().item<byte>().Should().Be(0);
        copy.LabelArray().Should().Equal(0L, 1L, 2L, 3L);
        (copy.Name, copy.SourceChannels, copy.ClassCount).Should().Be(("d", 1, 4));
        copy.Bytes.Should().Be((4 * 3 * 2 * 2) + (4 * sizeof(long)));
    }
}
