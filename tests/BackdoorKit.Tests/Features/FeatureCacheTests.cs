using BackdoorKit.Features;
using BackdoorKit.Tests.Data.Fixtures;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Features;

/// <summary>The cache computes each row once, serves rows in the order asked, stays within its byte budget and reads its folder.</summary>
public sealed class FeatureCacheTests
{
    private static readonly FeatureCacheKey Key = new("mnist", "data/mnist", "train", "small-cnn", "random(seed 1)", "layer1", "size=16", "clean", "cpu");

    [Fact]
    public void GetRows_ComputesOnlyMissingRowsAndReturnsTheRowsAsked()
    {
        using var cache = new FeatureCache();
        var computed = new List<long>();

        (Tensor first, bool firstHit) = cache.GetRows(Key, [3, 1], Compute(computed));
        (Tensor second, bool secondHit) = cache.GetRows(Key, [1, 2, 3, 1], Compute(computed));

        computed.Should().Equal(3, 1, 2);
        (firstHit, secondHit).Should().Be((false, false));
        first.select(1, 0).data<float>().ToArray().Should().Equal(3f, 1f);
        second.select(1, 0).data<float>().ToArray().Should().Equal(1f, 2f, 3f, 1f);
        cache.GetRows(Key, [2, 3], Compute(computed)).Hit.Should().BeTrue();
        cache.Bytes.Should().Be(3 * 4 * sizeof(float));
    }

    [Fact]
    public void GetRows_BeyondTheBudget_DropsTheLeastRecentlyUsedTable()
    {
        using var cache = new FeatureCache(new FeatureCacheOptions { MaxBytes = 2 * 4 * 4 * sizeof(float) });
        var computed = new List<long>();
        FeatureCacheKey other = Key with { Trigger = "patch" }, third = Key with { Split = "test" };

        cache.GetRows(Key, [0, 1, 2, 3], Compute(computed));
        cache.GetRows(other, [0, 1, 2, 3], Compute(computed));
        cache.GetRows(Key, [0], Compute(computed)).Hit.Should().BeTrue();
        cache.GetRows(third, [0, 1, 2, 3], Compute(computed));

        cache.Count.Should().Be(2);
        cache.Bytes.Should().Be(2 * 4 * 4 * sizeof(float));
        cache.GetRows(Key, [0], Compute(computed)).Hit.Should().BeTrue("it was used more recently than the other table");
        cache.GetRows(other, [0], Compute(computed)).Hit.Should().BeFalse("it was dropped");
    }

    [Fact]
    public void GetRows_WithAFolder_ReadsWhatAnotherCacheWrote()
    {
        using var folder = new TempDirectory();
        var options = new FeatureCacheOptions { Directory = folder.Path };
        var computed = new List<long>();
        using (var writer = new FeatureCache(options))
        {
            writer.GetRows(Key, [5, 7], Compute(computed));
        }

        using var reader = new FeatureCache(options);
        (Tensor rows, bool hit) = reader.GetRows(Key, [7, 5], Compute(computed));

        hit.Should().BeTrue();
        computed.Should().Equal(5, 7);
        rows.select(1, 0).data<float>().ToArray().Should().Equal(7f, 5f);
        reader.GetRows(Key with { Trigger = "patch" }, [5], Compute(computed)).Hit.Should().BeFalse("another key is another file");
    }

    [Fact]
    public void Options_RejectANonPositiveBudgetAndABlankFolder()
    {
        Action budget = () => _ = new FeatureCacheOptions { MaxBytes = 0 };
        Action folder = () => _ = new FeatureCacheOptions { Directory = " " };

        budget.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxBytes*");
        folder.Should().Throw<ArgumentException>().WithMessage("*Directory*");
    }

    // Row r's features are four copies of r.
    private static Func<long[], Tensor> Compute(List<long> log) => rows =>
    {
        log.AddRange(rows);
        return tensor(rows.Select(r => (float)r).ToArray()).unsqueeze(1).expand(rows.Length, 4).contiguous();
    };
}
