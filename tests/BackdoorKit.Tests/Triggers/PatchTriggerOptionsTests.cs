using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Triggers;

public class PatchTriggerOptionsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Size_OutsideZeroToOne_ThrowsNamingParameterValueAndRange(double size)
    {
        Action act = () => _ = new PatchTriggerOptions { Size = size };

        act.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "Size" && Equals(e.ActualValue, size))
            .WithMessage("*(0, 1]*");
    }

    [Fact]
    public void Size_One_IsAccepted()
    {
        new PatchTriggerOptions { Size = 1 }.Size.Should().Be(1);
    }

    [Fact]
    public void CustomOffset_Negative_ThrowsNamingParameter()
    {
        Action act = () => _ = new PatchTriggerOptions { Position = TriggerPosition.Custom, CustomOffset = new PixelOffset(-1, 0) };

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "CustomOffset").WithMessage("*(-1,0)*");
    }

    [Fact]
    public void Position_Undefined_ThrowsListingAllowedValues()
    {
        Action act = () => _ = new PatchTriggerOptions { Position = (TriggerPosition)42 };

        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Position").WithMessage("*TopLeft*42*");
    }

    [Fact]
    public void Constructor_CustomPositionWithoutOffset_Throws()
    {
        Action act = () => _ = new PatchTrigger(new PatchTriggerOptions { Position = TriggerPosition.Custom });

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "options").WithMessage("*CustomOffset*required*");
    }

    [Fact]
    public void Constructor_OffsetWithNonCustomPosition_Throws()
    {
        Action act = () => _ = new PatchTrigger(new PatchTriggerOptions { CustomOffset = new PixelOffset(1, 1) });

        act.Should().Throw<ArgumentException>().WithMessage("*CustomOffset*(1,1)*top-left*");
    }
}
