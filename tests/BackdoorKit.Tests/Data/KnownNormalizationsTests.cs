using BackdoorKit.Data;

namespace BackdoorKit.Tests.Data;

public class KnownNormalizationsTests
{
    [Theory]
    [InlineData("mnist")]
    [InlineData("cifar10")]
    [InlineData("tinyimagenet")]
    [InlineData("folder")]
    public void For_ImageNetRule_GivesImageNetStatisticsToEveryDataset(string dataset) =>
        KnownNormalizations.For(dataset, NormalizationRule.ImageNet).Should().Be(KnownNormalizations.ImageNet);

    [Fact]
    public void For_PublishedCodeRule_GivesEachDatasetThePublishedStatistics()
    {
        KnownNormalizations.For("mnist", NormalizationRule.PublishedCode).Mean.Should().Equal(0.5f, 0.5f, 0.5f);
        KnownNormalizations.For("mnist", NormalizationRule.PublishedCode).Std.Should().Equal(0.5f, 0.5f, 0.5f);
        NormalizationStatistics cifar = KnownNormalizations.For("cifar10", NormalizationRule.PublishedCode);
        cifar.Mean.Should().Equal(0.4914f, 0.4822f, 0.4465f);
        cifar.Std.Should().Equal(0.247f, 0.243f, 0.261f);
        KnownNormalizations.For("tinyimagenet", NormalizationRule.PublishedCode).Should().Be(KnownNormalizations.ImageNet);
    }

    [Fact]
    public void ImageNet_HasTheTorchvisionValues()
    {
        KnownNormalizations.ImageNet.Mean.Should().Equal(0.485f, 0.456f, 0.406f);
        KnownNormalizations.ImageNet.Std.Should().Equal(0.229f, 0.224f, 0.225f);
    }

    [Fact]
    public void Statistics_CannotBeChangedByTheirCallers()
    {
        float[] mean = [0.1f, 0.2f, 0.3f];
        var statistics = new NormalizationStatistics(mean, [1f, 1f, 1f]);
        mean[0] = 9f;

        statistics.Mean.Should().Equal(0.1f, 0.2f, 0.3f);
        statistics.Mean.Should().NotBeAssignableTo<float[]>("an array would let a caller change every later run");
        ((ICollection<float>)KnownNormalizations.ImageNet.Std).IsReadOnly.Should().BeTrue();
    }

    [Theory]
    [InlineData(NormalizationRule.ImageNet)]
    [InlineData(NormalizationRule.PublishedCode)]
    public void For_ADatasetOfYourOwn_GetsImageNetsStatistics(NormalizationRule rule)
    {
        KnownNormalizations.For("svhn", rule).Should().BeSameAs(KnownNormalizations.ImageNet);
    }

    [Fact]
    public void NormalizationStatistics_ZeroStd_ThrowsNamingParameterAndValue()
    {
        Action act = () => _ = new NormalizationStatistics([0.5f, 0.5f, 0.5f], [0.5f, 0f, 0.5f]);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("std");
    }

    [Fact]
    public void NormalizationStatistics_WrongLength_Throws()
    {
        Action act = () => _ = new NormalizationStatistics([0.5f], [0.5f, 0.5f, 0.5f]);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("3 values").And.Contain("got 1");
    }

    [Fact]
    public void NormalizationStatistics_EqualValues_AreEqualRecords()
    {
        var a = new NormalizationStatistics([0.1f, 0.2f, 0.3f], [1f, 1f, 1f]);
        var b = new NormalizationStatistics([0.1f, 0.2f, 0.3f], [1f, 1f, 1f]);

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(KnownNormalizations.ImageNet);
    }
}
