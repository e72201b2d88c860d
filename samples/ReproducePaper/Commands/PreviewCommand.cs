using BackdoorKit;
using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Poisoning;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>preview</c> (<see cref="PreviewSettings"/>): writes training image I with the trigger drawn as the study draws it
/// (on the protocol's canvas), at the model-input resolution and before normalization, as an 8-bit RGB PNG.
/// </summary>
internal sealed class PreviewCommand : Command<PreviewSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, PreviewSettings settings, CancellationToken cancellationToken)
    {
        DatasetDescriptor dataset = settings.Descriptor;
        StudyProtocol protocol = settings.StudyProtocol;
        string path = settings.Path;
        int index = settings.Index;
        string output = settings.Out;
        ITrigger trigger = settings.TriggerFamily.Create(settings.TriggerSpec, protocol);
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
            throw new UsageException($"the trigger does not fit: {ExceptionMessages.OneLine(e)}");
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
