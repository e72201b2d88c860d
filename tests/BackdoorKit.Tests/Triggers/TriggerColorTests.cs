using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Triggers;

public class TriggerColorTests
{
    [Theory]
    [InlineData("black", 0, 0, 0)]
    [InlineData("WHITE", 255, 255, 255)]
    [InlineData(" Green ", 102, 179, 92)]
    [InlineData("#66B35C", 102, 179, 92)]
    [InlineData("#0a0B0c", 10, 11, 12)]
    public void Parse_AllowedForms_GivesTheColor(string text, byte r, byte g, byte b)
    {
        TriggerColor.Parse(text).Should().Be(new TriggerColor(r, g, b));
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#1234567")]
    [InlineData("#GG0000")]
    [InlineData("123456")]
    [InlineData("")]
    public void Parse_OtherText_ThrowsNamingValueAndAllowedForms(string text)
    {
        Action act = () => TriggerColor.Parse(text);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "value")
            .WithMessage($"*'{text}'*black, white, green*#RRGGBB*");
    }

    [Fact]
    public void ToString_Green_IsUpperCaseHex()
    {
        TriggerColor.Green.ToString().Should().Be("#66B35C");
        TriggerColor.Parse(TriggerColor.Green.ToString()).Should().Be(TriggerColor.Green);
    }

    [Fact]
    public void KnownColors_AreThePapersValues()
    {
        TriggerColor.Black.Should().Be(new TriggerColor(0, 0, 0));
        TriggerColor.White.Should().Be(new TriggerColor(255, 255, 255));
        TriggerColor.Green.Should().Be(new TriggerColor(102, 179, 92));
    }
}
