using System.Globalization;
using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>preview --dataset NAME --path DIR --index I --size F --position P --color C --protocol NAME --out FILE.png</c>:
/// writes training image I with the trigger drawn as the study draws it (on the protocol's canvas), at the model-input
/// resolution and before normalization, as an 8-bit RGB PNG.
/// </summary>
internal static class PreviewCommand
{
    public static int Run(CommandLine line, CancellationToken cancellationToken)
    {
        DatasetDescriptor dataset = line.Parsed("dataset", ComponentCatalog.Default.Datasets.Get);
        string path = line.Required("path");
        if (line.Optional("index") is null)
        {
            throw new UsageException("option --index is required");
        }

        int index = line.Int("index", 0, 0);
        string sizeText = line.Required("size");
        if (!double.TryParse(sizeText, NumberStyles.Float, CultureInfo.InvariantCulture, out double size) || !(size is > 0 and <= 1))
        {
            throw new UsageException($"option --size must be a fraction of the image side in (0, 1], e.g. 0.08; got '{sizeText}'");
        }

        TriggerPosition position = TriggerPositions.Parse(
            line.Choice("position", null, [.. KnownTriggers.Positions.Select(TriggerPositions.ToName)]));
        TriggerColor color = line.Parsed("color", TriggerColor.Parse);
        StudyProtocol protocol = line.Parsed("protocol", ComponentCatalog.Default.Protocols.Get);
        string output = line.Required("out");
        line.RejectUnknown();

        PatchTrigger trigger = protocol.CreateTrigger(size, position, color);
        var transform = ModelInputTransform.For(dataset, protocol.Resize, protocol.Normalization);
        using DatasetSplits splits = dataset.Reader.Read(path, cancellationToken);
        ImageDataset train = splits.Train;
        if (index >= train.Count)
        {
            throw new UsageException(
                $"option --index {index} is out of range: the training split of {dataset.Name} at {path} has {train.Count} images (0 to {train.Count - 1})");
        }

        PixelRectangle rectangle;
        try
        {
            rectangle = TriggerPreview.WritePng(train, index, trigger, transform, output);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException($"the trigger does not fit: {CommandLine.PlainMessage(e)}");
        }

        string canvas = trigger.Canvas == TriggerCanvas.ModelInput
            ? $"on the {transform.Size}x{transform.Size} model input"
            : $"on the {train.Height}x{train.Width} native image, then resized with it to {transform.Size}x{transform.Size}";
        long label = train.LabelArray()[index];
        Terminal.Line($"wrote {output}: {dataset.Name} training image {index} (class {train.ClassNames[(int)label]}), {transform.Size}x{transform.Size} px RGB, before normalization");
        Terminal.Line($"trigger {trigger.Description}: {rectangle} (width x height @ (x, y)) {canvas}");
        return 0;
    }
}
