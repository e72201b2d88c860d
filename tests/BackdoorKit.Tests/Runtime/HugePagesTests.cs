using BackdoorKit.Runtime;

namespace BackdoorKit.Tests.Runtime;

public sealed class HugePagesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("glibc.malloc.hugetlb=1", "1")]
    [InlineData("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", "0")]
    [InlineData("glibc.malloc.hugetlb=2:glibc.malloc.hugetlb=1", "1")]
    [InlineData("glibc.malloc.mmap_threshold=1024", null)]
    public void TunableValue_ReadsTheLastHugetlbTunable(string? tunables, string? expected) =>
        HugePages.TunableValue(tunables).Should().Be(expected);

    [Theory]
    [InlineData(null, "glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.arena_max=2", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")]
    public void WithTunable_KeepsTheOtherTunables(string? tunables, string expected) =>
        HugePages.WithTunable(tunables).Should().Be(expected);

    [Theory]
    [InlineData("always [madvise] never\n", "madvise")]
    [InlineData("[always] madvise never", "always")]
    [InlineData("always madvise [never]", "never")]
    [InlineData(null, "unknown")]
    [InlineData("garbage", "unknown")]
    public void ParseThpMode_ReadsTheBracketedMode(string? text, string expected) =>
        HugePages.ParseThpMode(text).Should().Be(expected);

    [Theory]
    [InlineData(null, null, null, "madvise", true)]
    [InlineData("glibc.malloc.arena_max=2", null, null, "madvise", true)]
    [InlineData(null, "on", null, "madvise", true)]
    [InlineData("glibc.malloc.hugetlb=1", null, null, "madvise", false)]
    [InlineData("glibc.malloc.hugetlb=0", null, null, "madvise", false)]
    [InlineData(null, "off", null, "madvise", false)]
    [InlineData(null, "0", null, "madvise", false)]
    [InlineData(null, null, "1", "madvise", false)]
    [InlineData(null, null, null, "always", false)]
    [InlineData(null, null, null, "never", false)]
    [InlineData(null, null, null, "unknown", false)]
    public void ShouldRestart_OnlyWhenItHelpsAndIsAllowed(string? tunables, string? optOut, string? restarted, string thp, bool expected) =>
        HugePages.ShouldRestart(tunables, optOut, restarted, thp).Should().Be(expected);

    [Theory]
    [InlineData("glibc.malloc.hugetlb=1", "madvise", true)]
    [InlineData("glibc.malloc.hugetlb=0", "madvise", false)]
    [InlineData(null, "madvise", false)]
    [InlineData(null, "always", true)]
    [InlineData("glibc.malloc.hugetlb=1", "never", false)]
    public void IsActive_NeedsTheTunableInMadviseMode(string? tunables, string thp, bool expected) =>
        HugePages.IsActive(tunables, thp).Should().Be(expected);

    [Fact]
    public void Describe_NamesTheTunableAndTheKernelMode()
    {
        HugePages.Describe("glibc.malloc.hugetlb=1", "madvise").Should().Be("hugetlb=1,thp=madvise");
        HugePages.Describe(null, "always").Should().Be("hugetlb=unset,thp=always");
    }
}
