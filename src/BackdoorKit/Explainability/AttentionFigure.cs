using System.Text.Json;
using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Explainability;

/// <summary>
/// Draws the paper's explanation figures as PNG grids: the four-panel Grad-CAM attention figure of its Appendix A.3
/// (Figures 20-27) for several models side by side, and the feature-map comparison of a clean and a triggered input
/// (Figure 19). Each PNG gets a JSON caption next to it (same name, <c>.json</c>) naming rows, columns and predictions,
/// since the PNG carries no text.
/// </summary>
/// <remarks>
/// Images are model inputs before normalization (<c>[3, S, S]</c> in 0-255, as <see cref="Poisoning.TriggerPreview.Render"/>
/// returns them); the transform's normalization turns them into model input. Panels are separated and framed by a
/// white border of <see cref="AttentionFigureOptions.Border"/> pixels, so a grid of r rows and c columns of p-pixel
/// panels is <c>c * p + (c + 1) * border</c> wide and <c>r * p + (r + 1) * border</c> high.
/// </remarks>
public static class AttentionFigure
{
    /// <summary>Gets the column titles of the Grad-CAM figure, in order (the paper's panels a-d).</summary>
    public static IReadOnlyList<string> GradCamColumns { get; } =
        ["clean input, clean label", "clean input, target label", "backdoor input, clean label", "backdoor input, target label"];

    /// <summary>Colours a map with the jet colormap (blue 0, cyan, yellow, red 1).</summary>
    /// <param name="map">Values in [0, 1], <c>[H, W]</c>.</param>
    /// <returns>A new <c>float32 [3, H, W]</c> RGB tensor in [0, 1].</returns>
    public static Tensor Jet(Tensor map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var scope = NewDisposeScope();
        Tensor x = map.to_type(ScalarType.Float32).clamp(0, 1).mul(4f);
        Tensor Channel(float center) => x.sub(center).abs().neg().add(1.5f).clamp(0, 1);
        return stack([Channel(3f), Channel(2f), Channel(1f)]).MoveToOuterDisposeScope();
    }

    /// <summary>Blends a jet-coloured map over an image.</summary>
    /// <param name="image">An RGB image <c>[3, H, W]</c> in 0-255.</param>
    /// <param name="map">Values in [0, 1], <c>[H, W]</c> (resized bilinearly to the image when its size differs).</param>
    /// <param name="opacity">The map's weight, in [0, 1].</param>
    /// <returns>A new <c>float32 [3, H, W]</c> image in 0-255 on the image's device.</returns>
    public static Tensor Overlay(Tensor image, Tensor map, double opacity)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(opacity, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opacity, 1);
        RequireImage(image, nameof(image));
        using var scope = NewDisposeScope();
        if (map.dim() != 2)
        {
            throw new ArgumentException($"map must be shaped [H, W]; got [{string.Join(", ", map.shape)}].", nameof(map));
        }

        Tensor fitted = Resize(map.to(image.device).to_type(ScalarType.Float32).view(1, 1, map.shape[0], map.shape[1]), image.shape[1], image.shape[2], smooth: true)[0, 0];
        Tensor heat = Jet(fitted).mul(255f);
        return image.to_type(ScalarType.Float32).mul((float)(1 - opacity)).add(heat.mul((float)opacity)).MoveToOuterDisposeScope();
    }

    /// <summary>Lays equally sized panels out in a grid on a white background.</summary>
    /// <param name="panels">The rows of panels, each <c>[3, h, w]</c> in 0-255; every row has the same number of panels.</param>
    /// <param name="border">The white border around and between panels, in pixels.</param>
    /// <returns>A new <c>float32 [3, rows * h + (rows + 1) * border, columns * w + (columns + 1) * border]</c> image.</returns>
    /// <exception cref="ArgumentException">The grid is empty or ragged, or panels differ in shape.</exception>
    public static Tensor Grid(IReadOnlyList<IReadOnlyList<Tensor>> panels, int border)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (panels.Count == 0 || panels[0].Count == 0 || panels.Any(r => r.Count != panels[0].Count))
        {
            throw new ArgumentException("panels must be a non-empty grid whose rows have the same number of panels.", nameof(panels));
        }

        Tensor first = panels[0][0];
        RequireImage(first, nameof(panels));
        long h = first.shape[1], w = first.shape[2];
        if (panels.SelectMany(r => r).Any(p => p.dim() != 3 || p.shape[0] != 3 || p.shape[1] != h || p.shape[2] != w))
        {
            throw new ArgumentException($"every panel must be shaped [3, {h}, {w}] like the first.", nameof(panels));
        }

        int rows = panels.Count, columns = panels[0].Count;
        Tensor grid = full([3, (rows * h) + ((rows + 1) * border), (columns * w) + ((columns + 1) * border)], 255f, ScalarType.Float32, first.device);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                using Tensor band = grid.narrow(1, border + (r * (h + border)), h);
                using Tensor cell = band.narrow(2, border + (c * (w + border)), w);
                cell.copy_(panels[r][c]);
            }
        }

        return grid;
    }

    /// <summary>
    /// Draws the Grad-CAM attention figure: one row per model, four panels per row (<see cref="GradCamColumns"/>): the
    /// clean and the triggered input, each explained for the clean label and for the backdoor's target label.
    /// </summary>
    /// <param name="models">The models, one row each (e.g. clean, then backdoored); they are left in evaluation mode.</param>
    /// <param name="clean">The clean image, <c>[3, S, S]</c> in 0-255 at the model-input size.</param>
    /// <param name="triggered">The same image with the trigger, <c>[3, S, S]</c> in 0-255.</param>
    /// <param name="transform">Normalizes the images into model input.</param>
    /// <param name="cleanLabel">The image's true class.</param>
    /// <param name="targetClass">The backdoor's target class.</param>
    /// <param name="options">Layout and layer; <see cref="AttentionFigureOptions.Default"/> when null.</param>
    /// <returns>A new <c>float32 [3, height, width]</c> image in 0-255 on the CPU.</returns>
    public static Tensor GradCamGrid(
        IReadOnlyList<BackdoorModel> models, Tensor clean, Tensor triggered, ModelInputTransform transform, int cleanLabel, int targetClass, AttentionFigureOptions? options = null) =>
        GradCamCore(models, clean, triggered, transform, cleanLabel, targetClass, options ?? AttentionFigureOptions.Default).Grid;

    /// <summary>Draws the Grad-CAM attention figure (see <see cref="GradCamGrid"/>) and writes it as a PNG with a JSON caption.</summary>
    /// <param name="rows">The models with their row titles for the caption (e.g. "clean model", "backdoored model").</param>
    /// <param name="clean">The clean image, <c>[3, S, S]</c> in 0-255 at the model-input size.</param>
    /// <param name="triggered">The same image with the trigger, <c>[3, S, S]</c> in 0-255.</param>
    /// <param name="transform">Normalizes the images into model input.</param>
    /// <param name="cleanLabel">The image's true class.</param>
    /// <param name="targetClass">The backdoor's target class.</param>
    /// <param name="path">The PNG file; its folder is created, the caption is written to the same path with <c>.json</c>.</param>
    /// <param name="options">Layout and layer; <see cref="AttentionFigureOptions.Default"/> when null.</param>
    /// <param name="classNames">Class names for the caption, or null.</param>
    public static void WriteGradCam(
        IReadOnlyList<(string Title, BackdoorModel Model)> rows,
        Tensor clean,
        Tensor triggered,
        ModelInputTransform transform,
        int cleanLabel,
        int targetClass,
        string path,
        AttentionFigureOptions? options = null,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= AttentionFigureOptions.Default;
        (Tensor grid, long[][] predictions, string[] layers) =
            GradCamCore([.. rows.Select(r => r.Model)], clean, triggered, transform, cleanLabel, targetClass, options);
        using (grid)
        {
            ImageFiles.SavePng(grid, path);
        }

        WriteCaption(path, new
        {
            figure = "grad-cam",
            columns = GradCamColumns,
            rows = rows.Select((r, i) => new
            {
                title = r.Title,
                model = r.Model.Name,
                layer = layers[i],
                weights = r.Model.WeightsSource,
                cleanPrediction = ClassText(predictions[i][0], classNames),
                backdoorPrediction = ClassText(predictions[i][1], classNames),
            }),
            cleanLabel = ClassText(cleanLabel, classNames),
            targetLabel = ClassText(targetClass, classNames),
            panelSize = options.PanelSize,
            border = options.Border,
            opacity = options.Opacity,
            colormap = "jet (blue = no attention, red = most attention; each map scaled to its own maximum; an all-blue panel has no positive evidence for that label)",
        });
    }

    /// <summary>
    /// Draws the feature-map comparison (the paper's Figure 19): rows are the clean input, the triggered input and their
    /// absolute difference; the first column shows the images (and their difference), the others the first
    /// <see cref="AttentionFigureOptions.Channels"/> channels of the layer, in gray. Each channel is scaled by its largest
    /// activation over both inputs, and its difference row by the same value, so brightness compares across a column.
    /// </summary>
    /// <param name="model">The model; it is left in evaluation mode.</param>
    /// <param name="clean">The clean image, <c>[3, S, S]</c> in 0-255 at the model-input size.</param>
    /// <param name="triggered">The same image with the trigger, <c>[3, S, S]</c> in 0-255.</param>
    /// <param name="transform">Normalizes the images into model input.</param>
    /// <param name="options">Layout, channel count and layer; <see cref="AttentionFigureOptions.Default"/> when null.</param>
    /// <returns>A new <c>float32 [3, height, width]</c> image in 0-255 on the CPU.</returns>
    public static Tensor FeatureMapGrid(BackdoorModel model, Tensor clean, Tensor triggered, ModelInputTransform transform, AttentionFigureOptions? options = null) =>
        FeatureMapCore(model, clean, triggered, transform, options ?? AttentionFigureOptions.Default).Grid;

    /// <summary>Draws the feature-map comparison (see <see cref="FeatureMapGrid"/>) and writes it as a PNG with a JSON caption.</summary>
    /// <param name="model">The model; it is left in evaluation mode.</param>
    /// <param name="clean">The clean image, <c>[3, S, S]</c> in 0-255 at the model-input size.</param>
    /// <param name="triggered">The same image with the trigger, <c>[3, S, S]</c> in 0-255.</param>
    /// <param name="transform">Normalizes the images into model input.</param>
    /// <param name="path">The PNG file; its folder is created, the caption is written to the same path with <c>.json</c>.</param>
    /// <param name="options">Layout, channel count and layer; <see cref="AttentionFigureOptions.Default"/> when null.</param>
    public static void WriteFeatureMaps(BackdoorModel model, Tensor clean, Tensor triggered, ModelInputTransform transform, string path, AttentionFigureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= AttentionFigureOptions.Default;
        (Tensor grid, string layer, int channels, long totalChannels, double[] change) = FeatureMapCore(model, clean, triggered, transform, options);
        using (grid)
        {
            ImageFiles.SavePng(grid, path);
        }

        WriteCaption(path, new
        {
            figure = "feature-maps",
            model = model.Name,
            weights = model.WeightsSource,
            layer,
            rows = new[] { "clean input", "triggered input", "absolute difference" },
            columns = new[] { "image" }.Concat(Enumerable.Range(0, channels).Select(c => $"channel {c}")),
            channelsShown = channels,
            layerChannels = totalChannels,
            relativeChange = change,
            cellSize = options.FeatureMapSize,
            panelSize = options.PanelSize,
            border = options.Border,
            scale = "gray; per channel, 0 = black, white = the channel's largest activation over both inputs (difference row on the same scale)",
        });
    }

    private static (Tensor Grid, long[][] Predictions, string[] Layers) GradCamCore(
        IReadOnlyList<BackdoorModel> models, Tensor clean, Tensor triggered, ModelInputTransform transform, int cleanLabel, int targetClass, AttentionFigureOptions options)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(transform);
        if (models.Count == 0)
        {
            throw new ArgumentException("models must hold at least one model.", nameof(models));
        }

        (Tensor Clean, Tensor Triggered) images = RequirePair(clean, triggered);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        Tensor pictures = stack([images.Clean, images.Clean, images.Triggered, images.Triggered]).to_type(ScalarType.Float32).cpu();
        Tensor inputs = transform.Normalize(pictures);
        Tensor shown = Resize(pictures, options.PanelSize, options.PanelSize, smooth: true);
        var rows = new List<IReadOnlyList<Tensor>>();
        var predictions = new long[models.Count][];
        var layers = new string[models.Count];
        for (int m = 0; m < models.Count; m++)
        {
            var cam = new GradCam(models[m], new GradCamOptions { LayerName = options.LayerName });
            layers[m] = cam.LayerName;
            Tensor maps = cam.Compute(inputs, [cleanLabel, targetClass, cleanLabel, targetClass]).cpu();
            using (no_grad())
            {
                Tensor classes = models[m].Forward(inputs.narrow(0, 1, 2).to(ModelLayer.DeviceOf(models[m]))).argmax(1).cpu();
                predictions[m] = classes.data<long>().ToArray();
            }

            rows.Add([.. Enumerable.Range(0, 4).Select(i => Overlay(shown[i], maps[i], options.Opacity))]);
        }

        return (Grid(rows, options.Border).MoveToOuterDisposeScope(), predictions, layers);
    }

    private static (Tensor Grid, string Layer, int Channels, long TotalChannels, double[] Change) FeatureMapCore(
        BackdoorModel model, Tensor clean, Tensor triggered, ModelInputTransform transform, AttentionFigureOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(transform);
        (Tensor Clean, Tensor Triggered) images = RequirePair(clean, triggered);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        Tensor pictures = stack([images.Clean, images.Triggered]).to_type(ScalarType.Float32).cpu();
        string layer = options.LayerName ?? model.Architecture.GradCamLayerName;
        Tensor activations = LayerActivations.Capture(model, transform.Normalize(pictures), layer).cpu();
        long total = activations.shape[1];
        int channels = (int)Math.Min(options.Channels, total);
        Tensor shownActivations = activations.narrow(1, 0, channels);
        Tensor difference = shownActivations[1].sub(shownActivations[0]).abs();
        Tensor peak = shownActivations.abs().amax([0, 2, 3]).clamp_min(1e-12f).view(channels, 1, 1);
        Tensor rowsOfMaps = stack([shownActivations[0].abs().div(peak), shownActivations[1].abs().div(peak), difference.div(peak)]).clamp(0, 1);
        Tensor cells = Resize(rowsOfMaps.view(3 * channels, 1, rowsOfMaps.shape[2], rowsOfMaps.shape[3]), options.FeatureMapSize, options.FeatureMapSize, smooth: false)
            .view(3, channels, options.FeatureMapSize, options.FeatureMapSize).mul(255f);
        Tensor imageCells = Resize(stack([pictures[0], pictures[1], pictures[1].sub(pictures[0]).abs()]), options.FeatureMapSize, options.FeatureMapSize, smooth: true);
        var rows = new List<IReadOnlyList<Tensor>>();
        for (int r = 0; r < 3; r++)
        {
            var row = new List<Tensor> { imageCells[r] };
            row.AddRange(Enumerable.Range(0, channels).Select(c => cells[r][c].unsqueeze(0).expand(3, -1, -1)));
            rows.Add(row);
        }

        Tensor change = difference.sum([1, 2]).div(shownActivations[0].abs().sum([1, 2]).clamp_min(1e-12f));
        double[] relative = [.. change.data<float>().ToArray().Select(v => Math.Round(v, 4))];
        return (Grid(rows, options.Border).MoveToOuterDisposeScope(), layer, channels, total, relative);
    }

    private static (Tensor Clean, Tensor Triggered) RequirePair(Tensor clean, Tensor triggered)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(triggered);
        RequireImage(clean, nameof(clean));
        RequireImage(triggered, nameof(triggered));
        if (!clean.shape.SequenceEqual(triggered.shape))
        {
            throw new ArgumentException(
                $"clean and triggered images must have the same shape; got [{string.Join(", ", clean.shape)}] and [{string.Join(", ", triggered.shape)}].",
                nameof(triggered));
        }

        return (clean, triggered);
    }

    private static void RequireImage(Tensor image, string parameterName)
    {
        if (image.dim() != 3 || image.shape[0] != 3)
        {
            throw new ArgumentException($"an image must be shaped [3, H, W]; got [{string.Join(", ", image.shape)}].", parameterName);
        }
    }

    /// <summary>Resizes a batch <c>[N, C, h, w]</c>: bilinearly, or by nearest neighbour.</summary>
    private static Tensor Resize(Tensor batch, long height, long width, bool smooth) =>
        batch.shape[2] == height && batch.shape[3] == width
            ? batch.alias()
            : smooth
                ? nn.functional.interpolate(batch, [height, width], mode: InterpolationMode.Bilinear, align_corners: false)
                : nn.functional.interpolate(batch, [height, width], mode: InterpolationMode.Nearest);

    private static string ClassText(long label, IReadOnlyList<string>? classNames) =>
        classNames is not null && label >= 0 && label < classNames.Count ? $"{label} ({classNames[(int)label]})" : $"{label}";

    private static void WriteCaption(string pngPath, object caption) =>
        File.WriteAllText(Path.ChangeExtension(pngPath, ".json"), JsonSerializer.Serialize(caption, BackdoorKitJson.Options) + Environment.NewLine);
}
