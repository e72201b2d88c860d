using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Triggers;

public class TriggerPositionsTests
{
    [Theory]
    [InlineData(TriggerPosition.TopLeft, "top-left")]
    [InlineData(TriggerPosition.TopRight, "top-right")]
    [InlineData(TriggerPosition.Middle, "middle")]
    [InlineData(TriggerPosition.BottomLeft, "bottom-left")]
    [InlineData(TriggerPosition.BottomRight, "bottom-right")]
    [InlineData(TriggerPosition.Custom, "custom")]
    public void ToNameAndParse_EveryPosition_RoundTrip(TriggerPosition position, string name)
    {
        TriggerPositions.ToName(position).Should().Be(name);
        TriggerPositions.Parse(name.ToUpperInvariant()).Should().Be(position);
    }

    [Fact]
    public void Parse_UnknownName_ThrowsNamingValueAndAllowedNames()
    {
        Action act = () => TriggerPositions.Parse("center");

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "name")
            .WithMessage("*'center'*top-left, top-right, middle, bottom-left, bottom-right, custom*");
    }
}
