using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Triggers;

public class PatchTriggerGeometryTests
{
    // image side, size, rounding, expected side s, expected far corner start (image - s), expected middle start
    // floor((image - s) / 2); every number worked out by hand from fraction * side.
    public static TheoryData<int, double, TriggerRounding, int, int, int> Table => new()
    {
        { 28, 0.04, TriggerRounding.Floor, 1, 27, 13 }, // 1.12
        { 28, 0.04, TriggerRounding.Round, 1, 27, 13 },
        { 28, 0.06, TriggerRounding.Floor, 1, 27, 13 }, // 1.68
        { 28, 0.06, TriggerRounding.Round, 2, 26, 13 },
        { 28, 0.08, TriggerRounding.Floor, 2, 26, 13 }, // 2.24
        { 28, 0.08, TriggerRounding.Round, 2, 26, 13 },
        { 32, 0.04, TriggerRounding.Floor, 1, 31, 15 }, // 1.28: published code's 4 % == 6 % on 32 px
        { 32, 0.04, TriggerRounding.Round, 1, 31, 15 },
        { 32, 0.06, TriggerRounding.Floor, 1, 31, 15 }, // 1.92
        { 32, 0.06, TriggerRounding.Round, 2, 30, 15 },
        { 32, 0.08, TriggerRounding.Floor, 2, 30, 15 }, // 2.56
        { 32, 0.08, TriggerRounding.Round, 3, 29, 14 },
        { 64, 0.04, TriggerRounding.Floor, 2, 62, 31 }, // 2.56
        { 64, 0.04, TriggerRounding.Round, 3, 61, 30 },
        { 64, 0.06, TriggerRounding.Floor, 3, 61, 30 }, // 3.84
        { 64, 0.06, TriggerRounding.Round, 4, 60, 30 },
        { 64, 0.08, TriggerRounding.Floor, 5, 59, 29 }, // 5.12
        { 64, 0.08, TriggerRounding.Round, 5, 59, 29 },
        { 128, 0.04, TriggerRounding.Floor, 5, 123, 61 }, // 5.12
        { 128, 0.04, TriggerRounding.Round, 5, 123, 61 },
        { 128, 0.06, TriggerRounding.Floor, 7, 121, 60 }, // 7.68
        { 128, 0.06, TriggerRounding.Round, 8, 120, 60 },
        { 128, 0.08, TriggerRounding.Floor, 10, 118, 59 }, // 10.24
        { 128, 0.08, TriggerRounding.Round, 10, 118, 59 },
        { 224, 0.04, TriggerRounding.Floor, 8, 216, 108 }, // 8.96
        { 224, 0.04, TriggerRounding.Round, 9, 215, 107 },
        { 224, 0.06, TriggerRounding.Floor, 13, 211, 105 }, // 13.44
        { 224, 0.06, TriggerRounding.Round, 13, 211, 105 },
        { 224, 0.08, TriggerRounding.Floor, 17, 207, 103 }, // 17.92
        { 224, 0.08, TriggerRounding.Round, 18, 206, 103 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Resolve_EveryPaperPositionSizeAndRounding_GivesTheHandComputedRectangle(
        int image, double size, TriggerRounding rounding, int side, int far, int middle)
    {
        var expected = new Dictionary<TriggerPosition, PixelRectangle>
        {
            [TriggerPosition.TopLeft] = new(0, 0, side, side),
            [TriggerPosition.TopRight] = new(far, 0, side, side),
            [TriggerPosition.Middle] = new(middle, middle, side, side),
            [TriggerPosition.BottomLeft] = new(0, far, side, side),
            [TriggerPosition.BottomRight] = new(far, far, side, side),
        };

        foreach ((TriggerPosition position, PixelRectangle rectangle) in expected)
        {
            var trigger = new PatchTrigger(new PatchTriggerOptions { Size = size, Position = position, Rounding = rounding });
            trigger.Resolve(image, image).Should().Be(rectangle, "{0} at {1} with {2} on {3} px", position, size, rounding, image);
        }
    }

    [Fact]
    public void Resolve_NonSquareImage_SizesWidthAndHeightSeparately()
    {
        // 0.08 * 64 = 5.12 -> 5 wide; 0.08 * 28 = 2.24 -> 2 high.
        var trigger = new PatchTrigger(new PatchTriggerOptions { Size = 0.08, Position = TriggerPosition.BottomRight });
        var middle = new PatchTrigger(trigger.Options with { Position = TriggerPosition.Middle });

        trigger.Resolve(height: 28, width: 64).Should().Be(new PixelRectangle(59, 26, 5, 2));
        middle.Resolve(height: 28, width: 64).Should().Be(new PixelRectangle(29, 13, 5, 2));
    }

    [Fact]
    public void Resolve_FloorRounding_TruncatesTheDoubleProductLikePython()
    {
        // In double arithmetic 0.29 * 100 is 28.999999999999996, so Python's int() gives 28, not 29.
        var floor = new PatchTrigger(new PatchTriggerOptions { Size = 0.29, Rounding = TriggerRounding.Floor });
        var round = new PatchTrigger(floor.Options with { Rounding = TriggerRounding.Round });

        floor.Resolve(100, 100).Width.Should().Be(28);
        round.Resolve(100, 100).Width.Should().Be(29);
    }

    [Fact]
    public void Resolve_TinyFractionOfTinyImage_IsAtLeastOnePixel()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions { Size = 0.01, Rounding = TriggerRounding.Floor });

        trigger.Resolve(5, 5).Should().Be(new PixelRectangle(0, 0, 1, 1));
    }

    [Fact]
    public void Resolve_HalfPixel_RoundsAwayFromZero()
    {
        // 0.125 * 20 = 2.5 exactly: banker's rounding would give 2.
        var trigger = new PatchTrigger(new PatchTriggerOptions { Size = 0.125 });

        trigger.Resolve(20, 20).Width.Should().Be(3);
    }

    [Fact]
    public void Resolve_CustomOffsetThatFits_UsesTheOffset()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.1, Position = TriggerPosition.Custom, CustomOffset = new PixelOffset(7, 3),
        });

        trigger.Resolve(height: 20, width: 30).Should().Be(new PixelRectangle(7, 3, 3, 2));
    }

    [Fact]
    public void Resolve_CustomOffsetOutside_ThrowsNamingOffsetSizeAndImage()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.1, Position = TriggerPosition.Custom, CustomOffset = new PixelOffset(28, 0),
        });

        Action act = () => trigger.Resolve(height: 30, width: 30);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "CustomOffset")
            .WithMessage("*3x3*(28,0)*30x30*");
    }

    [Fact]
    public void Canvas_ForEachProtocol_IsTheProtocolsCanvas()
    {
        KnownProtocols.PaperText.CreateTrigger(0.04, TriggerPosition.Middle, TriggerColor.Black).Canvas
            .Should().Be(TriggerCanvas.ModelInput);
        KnownProtocols.SeedCode.CreateTrigger(0.04, TriggerPosition.Middle, TriggerColor.Black).Canvas
            .Should().Be(TriggerCanvas.NativeImage);
    }

    [Fact]
    public void For_SeedCode_TakesRoundingCanvasAndGrayRuleFromTheProtocol()
    {
        PatchTrigger trigger = KnownProtocols.SeedCode.CreateTrigger(0.08, TriggerPosition.TopRight, TriggerColor.Green);

        trigger.Options.Rounding.Should().Be(TriggerRounding.Floor);
        trigger.Options.GrayColorRule.Should().Be(GrayTriggerColorRule.PublishedCode);
        trigger.Description.Should().Be(
            "patch(size=0.08,position=top-right,color=#66B35C,rounding=floor,canvas=native-image,gray=published-code)");
    }

    [Fact]
    public void Description_PaperTextDefaults_IsStable()
    {
        KnownProtocols.PaperText.CreateTrigger(0.08, TriggerPosition.TopLeft, TriggerColor.White).Description
            .Should().Be("patch(size=0.08,position=top-left,color=#FFFFFF,rounding=round,canvas=model-input,gray=true-color)");
    }

    [Fact]
    public void Description_CustomPosition_IncludesTheOffset()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.04, Position = TriggerPosition.Custom, CustomOffset = new PixelOffset(5, 6), Color = TriggerColor.Black,
        });

        trigger.Description.Should().Contain("position=custom(5,6)").And.Contain("color=#000000");
    }

    [Fact]
    public void PaperGrid_WithAndWithoutGreen_HasFortyFiveOrThirtyDistinctTriggers()
    {
        KnownProtocols.PaperText.CreatePaperTriggerGrid().Select(t => t.Description).Distinct().Should().HaveCount(45);
        KnownProtocols.PaperText.CreatePaperTriggerGrid(includeGreen: false)
            .Should().HaveCount(30).And.OnlyContain(t => t.Options.Color != TriggerColor.Green);
    }
}
