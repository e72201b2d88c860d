using System.Text.Json;
using BackdoorKit.Reporting.Figures;
using SkiaSharp;

namespace BackdoorKit.Reporting.Tests;

public sealed class ExplanationFigureLabelsTests : IDisposable
{
    private const int Panel = 60, Border = 4;
    private readonly string folder = Directory.CreateTempSubdirectory("labels-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Apply_ToAGradCamGrid_AddsATitleColumnHeadersAndRowLabelsAroundTheUnchangedGrid()
    {
        string png = GradCamGrid();

        ExplanationFigureLabels.Apply(png).Should().BeTrue();

        using SKBitmap labelled = SKBitmap.Decode(png);
        using JsonDocument caption = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(png, ".json")));
        int left = caption.RootElement.GetProperty("gridOffset")[0].GetInt32(), top = caption.RootElement.GetProperty("gridOffset")[1].GetInt32();
        left.Should().BeGreaterThan(50, "row labels name the clean and backdoored model");
        top.Should().BeGreaterThan(40, "a title and two-line column headers");
        labelled.Width.Should().BeGreaterThanOrEqualTo(left + GridWidth);
        labelled.Height.Should().Be(top + GridHeight);
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                labelled.GetPixel(left + Border + (c * (Panel + Border)) + (Panel / 2), top + Border + (r * (Panel + Border)) + (Panel / 2))
                    .Should().Be(PanelColor(r, c), "the panels are copied as they were");
            }
        }

        Dark(labelled, new SKRectI(0, 0, labelled.Width, top / 3)).Should().BeGreaterThan(20, "a title");
        for (int c = 0; c < 4; c++)
        {
            int x = left + Border + (c * (Panel + Border));
            Dark(labelled, new SKRectI(x, top / 3, x + Panel, top)).Should().BeGreaterThan(20, $"column {c} has a header");
        }

        for (int r = 0; r < 2; r++)
        {
            int y = top + Border + (r * (Panel + Border));
            Dark(labelled, new SKRectI(0, y, left, y + Panel)).Should().BeGreaterThan(20, $"row {r} has a label");
        }
    }

    [Fact]
    public void Apply_Twice_LabelsOnce()
    {
        string png = GradCamGrid();
        ExplanationFigureLabels.Apply(png);
        byte[] once = File.ReadAllBytes(png);

        ExplanationFigureLabels.Apply(png).Should().BeFalse();

        File.ReadAllBytes(png).Should().Equal(once);
    }

    [Fact]
    public void Apply_WithoutACaption_FailsNamingIt()
    {
        string png = GradCamGrid();
        File.Delete(Path.ChangeExtension(png, ".json"));

        Action act = () => ExplanationFigureLabels.Apply(png);

        act.Should().Throw<FileNotFoundException>().WithMessage("*gradcam-test.json must both exist.");
    }

    private static int GridWidth => (4 * Panel) + (5 * Border);

    private static int GridHeight => (2 * Panel) + (3 * Border);

    private static SKColor PanelColor(int row, int column) => new((byte)(40 + (50 * column)), (byte)(200 - (100 * row)), 90);

    private static int Dark(SKBitmap bitmap, SKRectI area)
    {
        int count = 0;
        for (int y = area.Top; y < area.Bottom; y++)
        {
            for (int x = area.Left; x < area.Right; x++)
            {
                SKColor p = bitmap.GetPixel(x, y);
                count += p.Red + p.Green + p.Blue < 300 ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Writes a two-model Grad-CAM grid of plain panels and a caption shaped as AttentionFigure writes it.</summary>
    private string GradCamGrid()
    {
        string png = Path.Combine(folder, "gradcam-test.png");
        using var bitmap = new SKBitmap(GridWidth, GridHeight);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 4; c++)
                {
                    using var paint = new SKPaint { Color = PanelColor(r, c) };
                    canvas.DrawRect(Border + (c * (Panel + Border)), Border + (r * (Panel + Border)), Panel, Panel, paint);
                }
            }
        }

        using (SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
        {
            File.WriteAllBytes(png, data.ToArray());
        }

        File.WriteAllText(Path.ChangeExtension(png, ".json"), JsonSerializer.Serialize(new
        {
            figure = "grad-cam",
            columns = new[] { "clean input, clean label", "clean input, target label", "backdoor input, clean label", "backdoor input, target label" },
            rows = new[]
            {
                new { title = "clean model", model = "small-cnn", cleanPrediction = "7 (7)", backdoorPrediction = "7 (7)" },
                new { title = "backdoored model", model = "small-cnn", cleanPrediction = "7 (7)", backdoorPrediction = "0 (0)" },
            },
            cleanLabel = "7 (7)",
            targetLabel = "0 (0)",
            panelSize = Panel,
            border = Border,
        }));
        return png;
    }
}
