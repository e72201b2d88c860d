using BackdoorKit.Data;
using BackdoorKit.Data.Readers;
using BackdoorKit.Metrics;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Training;
using BackdoorKit.Triggers;

namespace BackdoorKit.Tests.Packaging;

/// <summary>
/// The example of the package README (src/BackdoorKit/PACKAGE.md): compiled and run here, and compared line by line with
/// the README so the two cannot drift apart.
/// </summary>
[Trait("Category", "Packaging")]
[Trait("Category", "Integration")]
public sealed class PackageReadmeExampleTests
{
    [Fact]
    public void TheExample_RunsOnMnistFiles()
    {
        using var folder = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(folder.Path);

        (double accuracy, double asr) = Example([folder.Path]);

        accuracy.Should().BeInRange(0, 1);
        asr.Should().BeInRange(0, 1);
    }

    [Fact]
    public void TheReadme_ShowsTheExampleAsCompiledHere()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "src", "BackdoorKit", "PACKAGE.md"));
        string source = File.ReadAllText(Path.Combine(Repository.Root, "tests", "BackdoorKit.Tests", "Packaging", "PackageReadmeExampleTests.cs"))
            .ReplaceLineEndings("\n");
        string[] shown = CodeLines(Between(readme, "```csharp\n", "```"));
        string[] directives = [.. shown.Where(IsUsingDirective)];
        string[] statements = [.. shown.Where(line => !IsUsingDirective(line))];

        directives.Should().NotBeEmpty().And.OnlyContain(d => source.Contains(d + "\n", StringComparison.Ordinal));
        statements.Should().Equal(CodeLines(Between(source, "// <package-readme>\n", "// </package-readme>")));
    }

    private static (double Accuracy, double Asr) Example(string[] args)
    {
        // <package-readme>
        // The four MNIST IDX files (train-images-idx3-ubyte, ..., raw or .gz) in the folder given as the first argument.
        using DatasetSplits mnist = new MnistReader().Read(args[0]);

        // A white square, 10 % of the side (3 x 3 px on the 32 x 32 model input), in the bottom-right corner,
        // on 5 % of the training images, which are relabelled as class 0 (dirty-label poisoning).
        ITrigger trigger = new PatchTrigger(new PatchTriggerOptions
        {
            Size = 0.1,
            Position = TriggerPosition.BottomRight,
            Color = TriggerColor.White,
        });
        IPoisoner poisoner = new DirtyLabelPoisoner();
        using PoisonedDataset poisoned = poisoner.Poison(
            mnist.Train, trigger, new PoisoningOptions { Rate = 0.05, TargetClass = 0, Seed = 1 });

        // A small CNN trained from random weights on the poisoned set.
        var input = new ModelInputTransform(32, KnownNormalizations.MnistPublishedCode);
        using BackdoorModel model = KnownModels.SmallCnn.Create(numClasses: 10, ModelWeights.Random);
        var trainer = new ModelTrainer(TrainingOptions.Default with { Epochs = 3, BatchSize = 64 });
        trainer.Train(model, DatasetBatchSource.FromPoisoned(poisoned, input), seed: 1);

        // Clean accuracy on the test set; ASR on the test set with the trigger on every image.
        using PoisonedDataset attack = AttackTestSet.Create(mnist.Test, trigger, targetClass: 0, includeTargetClass: true);
        long[] labels = mnist.Test.LabelArray();
        var outcome = new EvaluationOutcome(
            labels,
            trainer.Predict(model, DatasetBatchSource.FromClean(mnist.Test, input)),
            labels,
            trainer.Predict(model, DatasetBatchSource.FromPoisoned(attack, input)),
            targetClass: 0);
        double accuracy = KnownMetrics.CleanAccuracy.Compute(outcome);
        double asr = KnownMetrics.AttackSuccessRate.Compute(outcome);
        Console.WriteLine($"clean accuracy {accuracy:F3}, attack success rate {asr:F3}");
        // </package-readme>
        return (accuracy, asr);
    }

    private static bool IsUsingDirective(string line) => line.StartsWith("using ", StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal);

    private static string Between(string text, string start, string end)
    {
        string normalized = text.ReplaceLineEndings("\n");
        int from = normalized.IndexOf(start, StringComparison.Ordinal);
        from.Should().BeGreaterThanOrEqualTo(0, $"the text holds '{start.Trim()}'");
        from += start.Length;
        int to = normalized.IndexOf(end, from, StringComparison.Ordinal);
        to.Should().BeGreaterThan(from, $"the text holds '{end.Trim()}' after '{start.Trim()}'");
        return normalized[from..to];
    }

    // Non-blank lines without their common indentation or trailing spaces.
    private static string[] CodeLines(string block)
    {
        string[] lines = [.. block.Split('\n').Where(line => line.Trim().Length > 0).Select(line => line.TrimEnd())];
        int indent = lines.Length == 0 ? 0 : lines.Min(line => line.Length - line.TrimStart().Length);
        return [.. lines.Select(line => line[indent..])];
    }
}
