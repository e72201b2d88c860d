using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Triggers;

/// <summary>Pictures of one's own as blend patterns and patch contents.</summary>
public class TriggerImageTests
{
    // A 2 x 2 picture: red, green / blue, white.
    private static readonly TriggerImage Picture = new("quad.png", 2, 2, [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);

    [Fact]
    public void Blend_WithAPictureAtAlphaOne_IsThePicture()
    {
        var trigger = new BlendTrigger(new BlendTriggerOptions { Alpha = 1, Image = Picture });
        using Tensor black = zeros([1, 3, 2, 2], ScalarType.Byte);

        using Tensor drawn = trigger.Apply(black);

        byte[] channelMajor = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255];
        drawn.data<byte>().ToArray().Should().Equal(channelMajor, "the R, G and B planes of the picture");
        trigger.Description.Should().Be($"blend(alpha=1,pattern=image,image=quad.png#{Picture.Hash},canvas=model-input)");
    }

    [Fact]
    public void ImagePatch_DrawsThePictureResizedIntoItsSquareOnly()
    {
        var trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.25, Position = TriggerPosition.BottomRight, Pattern = PatchPattern.Image, Image = Picture,
        });
        using Tensor gray = full([1, 3, 8, 8], 100, ScalarType.Byte);

        using Tensor drawn = trigger.Apply(gray);

        PixelRectangle square = trigger.Resolve(8, 8);
        square.Should().Be(new PixelRectangle(6, 6, 2, 2));
        drawn[0, TensorIndex.Colon, 6, 6].data<byte>().ToArray().Should().Equal(255, 0, 0);
        drawn[0, TensorIndex.Colon, 7, 7].data<byte>().ToArray().Should().Equal(255, 255, 255);
        using Tensor outside = drawn[0, TensorIndex.Colon, TensorIndex.Slice(0, 6), TensorIndex.Colon];
        outside.eq(100).all().item<bool>().Should().BeTrue();
        trigger.Description.Should().EndWith($",pattern=image,image=quad.png#{Picture.Hash})");
    }

    [Fact]
    public void ImagePattern_WithoutAPicture_AndAPictureWithAnotherPattern_Throw()
    {
        Action missing = () => _ = new PatchTrigger(new PatchTriggerOptions { Pattern = PatchPattern.Image });
        Action stray = () => _ = new PatchTrigger(new PatchTriggerOptions { Image = Picture });

        missing.Should().Throw<ArgumentException>().WithMessage("Image is required when Pattern is Image; got none.*");
        stray.Should().Throw<ArgumentException>().WithMessage("Image must be null unless Pattern is Image*");
    }

    [Fact]
    public void TriggerImage_WithTheWrongByteCountOrName_Throws()
    {
        Action bytes = () => _ = new TriggerImage("x", 2, 2, new byte[11]);
        Action name = () => _ = new TriggerImage("a/b", 1, 1, new byte[3]);

        bytes.Should().Throw<ArgumentException>().WithMessage("a 2 x 2 RGB image has 12 bytes; got 11.*");
        name.Should().Throw<ArgumentException>().WithMessage("name must be 1-64 letters*");
    }

    [Fact]
    public void ReadTriggerImage_ReadsWhatSavePngWrote_AndNamesCorruptFiles()
    {
        using var folder = new TempDirectory();
        string png = folder.Combine("logo 1.png"), broken = folder.Combine("broken.png");
        using (Tensor image = tensor(new byte[] { 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255 }, [3, 2, 2]))
        {
            ImageFiles.SavePng(image, png);
        }

        File.WriteAllText(broken, "not an image");

        TriggerImage read = ImageFiles.ReadTriggerImage(png);
        Action corrupt = () => ImageFiles.ReadTriggerImage(broken);

        read.Should().Match<TriggerImage>(i => i.Name == "logo_1.png" && i.Width == 2 && i.Height == 2 && i.Hash == Picture.Hash);
        corrupt.Should().Throw<InvalidDataException>().WithMessage($"trigger image '{broken}' cannot be read as an image*");
    }

    [Fact]
    public void ImageFamilies_SweepWhatTheyUse_InAMatrix()
    {
        ComponentCatalog catalog = ComponentCatalog.Default
            .Add(KnownTriggerFactories.BlendImage("blend-quad", Picture))
            .Add(KnownTriggerFactories.ImagePatch("patch-quad", Picture));
        ExperimentMatrix matrix = Experiments.SmallMatrix.Valid with
        {
            TriggerFamilies = ["blend-quad", "patch-quad"],
            Positions = ["top-left", "middle"],
            Colors = ["#FFFFFF", "#000000"],
            CleanBaselines = false,
        };

        ExperimentPlan plan = matrix.Expand(catalog);
        ITrigger patch = catalog.Triggers.Get("patch-quad").Create(plan.Backdoored.Last().Trigger!, KnownProtocols.PaperText);

        plan.Backdoored.Count(s => s.Trigger!.Family == "blend-quad").Should().Be(1, "a blend uses neither position nor color");
        plan.Backdoored.Where(s => s.Trigger!.Family == "patch-quad").Select(s => s.Trigger!.Position).Should().Equal("top-left", "middle");
        patch.Should().BeOfType<PatchTrigger>().Which.Options.Image.Should().BeSameAs(Picture);
    }
}
