using System.Globalization;
using System.Text.Json;
using BackdoorKit;
using BackdoorKit.Data;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>data</c> (<see cref="DataSettings"/>): reads a dataset with the library's reader and summarizes it: split sizes,
/// classes, source channels, native image size, model-input size and images per class.
/// </summary>
internal sealed class DataCommand : Command<DataSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, DataSettings settings, CancellationToken cancellationToken)
    {
        DatasetDescriptor dataset = settings.Descriptor;
        string path = settings.Path;
        using DatasetSplits splits = dataset.Reader.Read(path, cancellationToken);
        DatasetSummary summary = DatasetSummary.Of(dataset, path, splits);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(summary, BackdoorKitJson.Options));
            return 0;
        }

        Terminal.Line($"{summary.Dataset} at {summary.Path}: {summary.Train} training and {summary.Test} test images, {summary.Classes} classes");
        Terminal.Line($"native images: {summary.Channels} channel(s) in the files (read as RGB), {summary.Height}x{summary.Width} (height x width)"
            + (summary.TestHeight is null ? string.Empty : $"; test images {summary.TestHeight}x{summary.TestWidth}"));
        Terminal.Line($"model input: {summary.InputSize}x{summary.InputSize}");
        Terminal.Table(
            "images per class",
            ["label", "class", "train", "test"],
            summary.ClassNames.Select((name, label) => (IReadOnlyList<string>)
                [Text(label), name, Text(summary.TrainPerClass[label]), Text(summary.TestPerClass[label])]));
        return 0;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <c>data</c> reports about a dataset (the JSON object of <c>data --json</c>).</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Path">The path it was read from, as given.</param>
/// <param name="Train">The number of training images.</param>
/// <param name="Test">The number of test images.</param>
/// <param name="Classes">The number of classes.</param>
/// <param name="Channels">The channels of the source files (1 for gray MNIST; images are read as RGB).</param>
/// <param name="Height">The native height of the training images.</param>
/// <param name="Width">The native width of the training images.</param>
/// <param name="TestHeight">The native height of the test images when it differs from the training images'.</param>
/// <param name="TestWidth">The native width of the test images when it differs from the training images'.</param>
/// <param name="InputSize">The side of the square model input.</param>
/// <param name="ClassNames">The class names, indexed by label.</param>
/// <param name="TrainPerClass">Training images per label.</param>
/// <param name="TestPerClass">Test images per label.</param>
internal sealed record DatasetSummary(
    string Dataset,
    string Path,
    int Train,
    int Test,
    int Classes,
    int Channels,
    int Height,
    int Width,
    int? TestHeight,
    int? TestWidth,
    int InputSize,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<int> TrainPerClass,
    IReadOnlyList<int> TestPerClass)
{
    public static DatasetSummary Of(DatasetDescriptor dataset, string path, DatasetSplits splits)
    {
        ImageDataset train = splits.Train, test = splits.Test;
        bool sameSize = test.Height == train.Height && test.Width == train.Width;
        return new DatasetSummary(
            dataset.Name,
            path,
            train.Count,
            test.Count,
            train.ClassCount,
            train.SourceChannels,
            train.Height,
            train.Width,
            sameSize ? null : test.Height,
            sameSize ? null : test.Width,
            dataset.InputSize,
            train.ClassNames,
            PerClass(train),
            PerClass(test));
    }

    private static int[] PerClass(ImageDataset split)
    {
        int[] counts = new int[split.ClassCount];
        foreach (long label in split.LabelArray())
        {
            counts[label]++;
        }

        return counts;
    }
}
