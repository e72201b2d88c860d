using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Experiments;

/// <summary>Matrix and include-block names name folders and go into scripts: only a safe character set passes.</summary>
[Trait("Category", "Reliability")]
public class ExperimentMatrixNameTests
{
    [Theory]
    [InlineData("x$(touch /tmp/p)")]
    [InlineData("x`id`")]
    [InlineData("a b")]
    [InlineData("a'b")]
    [InlineData("a/b")]
    [InlineData("a\nb")]
    [InlineData("..")]
    [InlineData("-rf")]
    [InlineData("")]
    [InlineData("ünïcödé")]
    [InlineData("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    public void Validate_UnsafeName_ThrowsNamingTheAllowedSet(string name) => SmallMatrix.ShouldBeRejectedWith(
        SmallMatrix.Valid with { Name = name },
        "name '*' is not a safe name: use 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit*");

    [Fact]
    public void Validate_UnsafeIncludeBlockName_NamesTheBlock() => SmallMatrix.ShouldBeRejectedWith(
        SmallMatrix.Valid with { Include = [SmallMatrix.Valid with { Name = "b;reboot" }] },
        "include[0].name 'b;reboot' is not a safe name*");

    [Theory]
    [InlineData("paper")]
    [InlineData("quick-position-color")]
    [InlineData("Study_2.v1")]
    [InlineData("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    public void Validate_SafeName_Passes(string name)
    {
        Action act = () => (SmallMatrix.Valid with { Name = name }).Validate();

        act.Should().NotThrow();
    }
}
