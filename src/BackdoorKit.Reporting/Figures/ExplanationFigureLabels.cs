using System.Text.Json;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// Gives the explanation grids of <c>BackdoorKit.Explainability.AttentionFigure</c> (Grad-CAM and feature maps) their
/// text: a title, a header over every column (for Grad-CAM: clean or backdoor input, explained for the clean or the
/// target label) and a label beside every row (for Grad-CAM: the clean or backdoored model and its predictions). The
/// labels come from the JSON caption next to the PNG; the PNG is redrawn with the grid offset right and down, and the
/// offset is recorded in the caption as <c>gridOffset</c> (<c>[left, top]</c>) so panels can still be located.
/// Text uses the font ScottPlot uses for the report figures (DejaVu Sans where installed, see eng/install-fonts.sh).
/// </summary>
public static class ExplanationFigureLabels
{
    /// <summary>Labels a grid PNG in place, once: a PNG whose caption already has a <c>gridOffset</c> is left as it is.</summary>
    /// <param name="png">The grid PNG; its caption is the same path with <c>.json</c>.</param>
    /// <returns>Whether the PNG was labelled now (false when it already was).</returns>
    /// <exception cref="FileNotFoundException">The PNG or its caption is missing.</exception>
    /// <exception cref="InvalidDataException">The caption is not one <c>AttentionFigure</c> writes.</exception>
    public static bool Apply(string png)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(png);
        string captionPath = Path.ChangeExtension(png, ".json");
        if (!File.Exists(png) || !File.Exists(captionPath))
        {
            throw new FileNotFoundException($"{png} and its caption {captionPath} must both exist.", File.Exists(png) ? captionPath : png);
        }

        JsonObject caption = JsonNode.Parse(File.ReadAllText(captionPath)) as JsonObject
            ?? throw new InvalidDataException($"{captionPath} is not a JSON object.");
        if (caption.ContainsKey("gridOffset"))
        {
            return false;
        }

        (string title, string[][] columns, string[][] rows, int cell, int border) = Layout(caption, captionPath);
        using SKBitmap grid = SKBitmap.Decode(png) ?? throw new InvalidDataException($"{png} is not a readable image.");
        (int left, int top) = Draw(grid, png, title, columns, rows, cell, border);
        caption["gridOffset"] = new JsonArray(left, top);
        File.WriteAllText(captionPath, caption.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        return true;
    }

    private static (string Title, string[][] Columns, string[][] Rows, int Cell, int Border) Layout(JsonObject caption, string path)
    {
        string kind = Text(caption, "figure", path);
        int border = caption["border"]?.GetValue<int>() ?? 0;
        string[][] columns = [.. (caption["columns"] as JsonArray ?? throw Invalid(path, "columns")).Select(c => c!.GetValue<string>().Split(", "))];
        JsonArray rows = caption["rows"] as JsonArray ?? throw Invalid(path, "rows");
        return kind switch
        {
            "grad-cam" => (
                $"Grad-CAM attention ({string.Join(", ", rows.Select(r => Text(r!.AsObject(), "model", path)).Distinct())}): clean label {Text(caption, "cleanLabel", path)}, target label {Text(caption, "targetLabel", path)}",
                columns,
                [.. rows.Select(r => new[] { Text(r!.AsObject(), "title", path), $"predicts {Text(r.AsObject(), "cleanPrediction", path)} on the clean input,", $"{Text(r.AsObject(), "backdoorPrediction", path)} on the backdoor input" })],
                caption["panelSize"]?.GetValue<int>() ?? throw Invalid(path, "panelSize"),
                border),
            "feature-maps" => (
                $"Feature maps of {Text(caption, "model", path)} at {Text(caption, "layer", path)}: clean against triggered input",
                columns,
                [.. rows.Select(r => new[] { r!.GetValue<string>() })],
                caption["cellSize"]?.GetValue<int>() ?? throw Invalid(path, "cellSize"),
                border),
            _ => throw new InvalidDataException($"{path}: figure '{kind}' is not one of grad-cam, feature-maps."),
        };
    }

    private static (int Left, int Top) Draw(SKBitmap grid, string png, string title, string[][] columns, string[][] rows, int cell, int border)
    {
        float size = Math.Clamp(cell / 10f, 11f, 24f);
        using SKTypeface regular = SKTypeface.FromFamilyName(ScottPlot.Fonts.Default) ?? SKTypeface.Default;
        using SKTypeface bold = SKTypeface.FromFamilyName(ScottPlot.Fonts.Default, SKFontStyle.Bold) ?? SKTypeface.Default;
        using var text = new SKFont(regular, size);
        using var heading = new SKFont(bold, size * 1.25f);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float line = size * 1.3f, pad = size;
        int left = (int)Math.Ceiling(rows.Max(r => r.Select((l, i) => (i == 0 ? heading : text).MeasureText(l)).Max()) + (2 * pad));
        int headerLines = columns.Max(c => c.Length);
        int top = (int)Math.Ceiling(pad + (heading.Size * 1.3f) + (headerLines * line) + (pad / 2));
        int width = Math.Max(left + grid.Width, (int)Math.Ceiling(heading.MeasureText(title) + (2 * pad)));
        using var surface = SKSurface.Create(new SKImageInfo(width, top + grid.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.DrawBitmap(grid, left, top);
        canvas.DrawText(title, pad, pad + heading.Size, SKTextAlign.Left, heading, ink);
        for (int c = 0; c < columns.Length; c++)
        {
            float center = left + border + (c * (cell + border)) + (cell / 2f);
            for (int l = 0; l < columns[c].Length; l++)
            {
                float baseline = top - (pad / 2) - ((columns[c].Length - 1 - l) * line) - (line - size);
                canvas.DrawText(columns[c][l], center, baseline, SKTextAlign.Center, text, ink);
            }
        }

        for (int r = 0; r < rows.Length; r++)
        {
            float middle = top + border + (r * (cell + border)) + (cell / 2f) - ((rows[r].Length - 1) * line / 2f);
            for (int l = 0; l < rows[r].Length; l++)
            {
                canvas.DrawText(rows[r][l], left - pad, middle + (l * line) + (size / 3f), SKTextAlign.Right, l == 0 ? heading : text, ink);
            }
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(png, data.ToArray());
        return (left, top);
    }

    private static string Text(JsonObject node, string name, string path) => node[name]?.GetValue<string>() ?? throw Invalid(path, name);

    private static InvalidDataException Invalid(string path, string name) => new($"{path}: the caption has no '{name}'.");
}
