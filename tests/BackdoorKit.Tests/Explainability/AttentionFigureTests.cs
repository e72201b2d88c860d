using System.Text.Json;
using BackdoorKit.Data;
using BackdoorKit.Explainability;
using BackdoorKit.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Explainability;

public sealed class AttentionFigureTests(PatchModelFixture fixture) : IClassFixture<PatchModelFixture>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("attention-figure-").FullName;

    [Fact]
    public void WriteGradCam_WritesAFourColumnGridPerModelAndACaption()
    {
        using BackdoorModel untrained = KnownModels.SmallCnn.Create(2, ModelWeights.Random);
        (Tensor clean, Tensor triggered) = Pair();
        var options = new AttentionFigureOptions { PanelSize = 40, Border = 3 };
        string path = Path.Combine(folder, "figures", "gradcam-test.png");

        AttentionFigure.WriteGradCam(
            [("clean model", untrained), ("backdoored model", fixture.Model)], clean, triggered, fixture.Transform, cleanLabel: 0, targetClass: 1, path, options, ["no-patch", "patch"]);

        using Image<Rgb24> png = Image.Load<Rgb24>(path);
        png.Width.Should().Be((4 * 40) + (5 * 3));
        png.Height.Should().Be((2 * 40) + (3 * 3));
        png[0, 0].Should().Be(new Rgb24(255, 255, 255), "panels are framed by a white border");
        png[3 + 40 + 1, 10].Should().Be(new Rgb24(255, 255, 255), "panels are separated by the border");

        // Backdoored row, last panel (triggered input, target label): the hottest (reddest) pixel lies on the patch.
        (int x, int y, int w, int h) = PatchModelFixture.Patch;
        (int hotX, int hotY) = Reddest(png, left: 3 + (3 * 43), top: 3 + 43, size: 40);
        double scale = 40.0 / PatchModelFixture.Side;
        hotX.Should().BeInRange((int)((x - 4) * scale), (int)((x + w + 4) * scale));
        hotY.Should().BeInRange((int)((y - 4) * scale), (int)((y + h + 4) * scale));

        using JsonDocument caption = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));
        caption.RootElement.GetProperty("columns").GetArrayLength().Should().Be(4);
        JsonElement backdoored = caption.RootElement.GetProperty("rows")[1];
        backdoored.GetProperty("title").GetString().Should().Be("backdoored model");
        backdoored.GetProperty("layer").GetString().Should().Be("layer3");
        backdoored.GetProperty("cleanPrediction").GetString().Should().Be("0 (no-patch)");
        backdoored.GetProperty("backdoorPrediction").GetString().Should().Be("1 (patch)");
    }

    [Fact]
    public void WriteFeatureMaps_ShowsImagesAndChannelsForCleanTriggeredAndDifference()
    {
        (Tensor clean, Tensor triggered) = Pair();
        var options = new AttentionFigureOptions { FeatureMapSize = 16, Border = 2, Channels = 5 };
        string path = Path.Combine(folder, "features.png");

        AttentionFigure.WriteFeatureMaps(fixture.Model, clean, triggered, fixture.Transform, path, options);

        using Image<Rgb24> png = Image.Load<Rgb24>(path);
        png.Width.Should().Be((6 * 16) + (7 * 2), "an image column and 5 channels");
        png.Height.Should().Be((3 * 16) + (4 * 2), "clean, triggered, difference");

        // Channel 0 is the patch detector: dark on the clean input, white on the patch in the triggered input and the difference.
        (int x, int y, _, _) = PatchModelFixture.Patch;
        int px = 2 + 16 + 2 + ((x + 4) / 2), py = (y + 4) / 2;
        png[px, 2 + py].R.Should().Be(0);
        png[px, 2 + 18 + py].R.Should().Be(255);
        png[px, 2 + 36 + py].R.Should().Be(255);
        using JsonDocument caption = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));
        caption.RootElement.GetProperty("channelsShown").GetInt32().Should().Be(5);
        caption.RootElement.GetProperty("layerChannels").GetInt32().Should().Be(64);
    }

    [Fact]
    public void Grid_LaysPanelsOutWithBorders()
    {
        using Tensor red = zeros(3, 4, 5);
        red[0].fill_(200);
        using Tensor grid = AttentionFigure.Grid([[red, red, red], [red, red, red]], 1);

        grid.shape.Should().Equal(3, (2 * 4) + 3, (3 * 5) + 4);
        grid[0, 1, 1].item<float>().Should().Be(200f);
        grid[1, 1, 1].item<float>().Should().Be(0f);
        grid[1, 0, 0].item<float>().Should().Be(255f);
        grid[1, 1, 6].item<float>().Should().Be(255f, "column 6 is the border between the first two panels");
    }

    [Fact]
    public void Jet_MapsZeroToBlueAndOneToRed()
    {
        using Tensor map = tensor(new float[] { 0f, 0.5f, 1f }).view(1, 3);
        using Tensor colors = AttentionFigure.Jet(map);

        colors.shape.Should().Equal(3, 1, 3);
        TinyColor(colors, 0).Should().Equal(0f, 0f, 0.5f);
        TinyColor(colors, 1).Should().Equal(0.5f, 1f, 0.5f);
        TinyColor(colors, 2).Should().Equal(0.5f, 0f, 0f);
    }

    [Fact]
    public void GradCamGrid_MismatchedImages_Throw()
    {
        using Tensor clean = zeros(3, 32, 32);
        using Tensor small = zeros(3, 16, 16);

        Action act = () => AttentionFigure.GradCamGrid([fixture.Model], clean, small, fixture.Transform, 0, 1).Dispose();

        act.Should().Throw<ArgumentException>().WithMessage("*same shape*");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static float[] TinyColor(Tensor colors, int column)
    {
        using Tensor pixel = colors.select(2, column).flatten();
        return pixel.data<float>().ToArray();
    }

    private static (Tensor Clean, Tensor Triggered) Pair()
    {
        using ImageDataset data = PatchModelFixture.CreateDataset(2, seed: 21);
        Tensor both = data.Images.to_type(ScalarType.Float32);
        return (both[1], both[0]);
    }

    private static (int X, int Y) Reddest(Image<Rgb24> png, int left, int top, int size)
    {
        (int X, int Y) best = (-1, -1);
        int bestScore = int.MinValue;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                Rgb24 p = png[left + x, top + y];
                int score = p.R - p.B;
                if (score > bestScore)
                {
                    (bestScore, best) = (score, (x, y));
                }
            }
        }

        return best;
    }
}
