using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Explainability;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Reliability;
using BackdoorKit.Training;
using ReproducePaper;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Samples;

[Trait("Category", "Integration")]
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed class ReproducePaperExplainCommandTests : IDisposable
{
    private static readonly ExperimentSpec Backdoored = new()
    {
        Dataset = "mnist",
        Model = "small-cnn",
        FreezeStrategy = "full",
        Protocol = "paper-text",
        Weights = "random",
        InputSize = 32,
        TrainLimit = 5,
        TestLimit = 3,
        Trigger = new TriggerSpec(Size: 0.25, Position: "bottom-right", Color: "#FFFFFF"),
        PoisoningRate = 0.4,
        TargetClass = 0,
        Seed = 1,
        Training = TrainingOptions.Default with { Epochs = 1, BatchSize = 4 },
    };

    private readonly TempDirectory folder = new();
    private readonly string study;

    public ReproducePaperExplainCommandTests()
    {
        DatasetFixtures.WriteSmallMnist(folder.Combine("data", "mnist"));
        study = folder.Combine("study");
        Directory.CreateDirectory(study);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Explain_WithoutExperiment_RetrainsTheBestBackdoorAndItsCleanTwinAndWritesBothFigures()
    {
        ExperimentSpec weaker = Backdoored with { PoisoningRate = 0.2 };
        ExperimentSpec clean = Backdoored with { Trigger = null, PoisoningRate = 0 };
        Store(Result(weaker, 0.5), Result(Backdoored, 0.9), Result(clean, null));

        int code = Program.Execute(["explain", "--out", study, "--data", folder.Combine("data"), "--channels", "4"], default);

        code.Should().Be(0);
        string figures = Path.Combine(study, "report", "figures");
        string gradCam = Path.Combine(figures, $"gradcam-{Backdoored.Id}.png");
        using JsonDocument caption = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(gradCam, ".json")));
        int left = caption.RootElement.GetProperty("gridOffset")[0].GetInt32(), top = caption.RootElement.GetProperty("gridOffset")[1].GetInt32();
        using (Image<Rgb24> png = Image.Load<Rgb24>(gradCam))
        {
            int panel = AttentionFigureOptions.Default.PanelSize, border = AttentionFigureOptions.Default.Border;
            left.Should().BePositive("row labels name the clean and the backdoored model");
            top.Should().BePositive("a title and column headers");
            png.Width.Should().BeGreaterThanOrEqualTo(left + (4 * panel) + (5 * border));
            png.Height.Should().Be(top + (2 * panel) + (3 * border));
        }

        caption.RootElement.GetProperty("targetLabel").GetString().Should().Be("0 (0)");
        caption.RootElement.GetProperty("cleanLabel").GetString().Should().Be("7 (7)", "the first test image not of the target class");
        using Image<Rgb24> features = Image.Load<Rgb24>(Path.Combine(figures, $"feature-maps-{Backdoored.Id}.png"));
        using JsonDocument featureCaption = JsonDocument.Parse(File.ReadAllText(Path.Combine(figures, $"feature-maps-{Backdoored.Id}.json")));
        features.Width.Should().BeGreaterThanOrEqualTo(featureCaption.RootElement.GetProperty("gridOffset")[0].GetInt32() + (5 * 64) + (6 * 4), "row labels, the image column and 4 channels");
    }

    [Fact]
    public void Explain_AfterRunSavedTheModels_RestoresThemInsteadOfTraining()
    {
        ExperimentSpec clean = Backdoored with { Trigger = null, PoisoningRate = 0 };
        using (var runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = folder.Combine("data"), ModelsDirectory = Path.Combine(study, "models") }))
        {
            Store(runner.Run(Backdoored), runner.Run(clean));
        }

        (int code, string output) = QuietCli.Capture(["explain", "--out", study, "--data", folder.Combine("data"), "--channels", "4"]);

        code.Should().Be(0, output);
        output.Should().Contain($"restoring the backdoored model from models/{Backdoored.Id}.safetensors")
            .And.Contain($"restoring the clean model from models/{clean.Id}.safetensors")
            .And.NotContain("training the");
        File.Exists(Path.Combine(study, "report", "figures", $"gradcam-{Backdoored.Id}.png")).Should().BeTrue();
    }

    [Fact]
    public void CleanCounterpart_IsTheStudysCleanCellOfTheSameRepetition_OrDerived()
    {
        ExperimentSpec clean = Backdoored with { Trigger = null, PoisoningRate = 0 };
        ExperimentSpec otherRepetition = clean with { Repetition = 1, Seed = 2 };
        ExperimentSpec otherModel = clean with { Model = "resnet18" };

        ResultSelection.CleanCounterpart([Result(otherRepetition, null), Result(otherModel, null), Result(clean, null)], Backdoored)
            .Should().Be((clean, true));
        ResultSelection.CleanCounterpart([Result(otherModel, null)], Backdoored)
            .Should().Be((Backdoored with { PoisoningRate = 0 }, false));
    }

    [Theory]
    [InlineData("clean", "error: option --experiment: '*' is a clean experiment*")]
    [InlineData("unknown", "error: option --experiment: no result with id '0123456789abcdef'*")]
    [InlineData(null, "error: the study holds no finished backdoored experiment*")]
    public void Explain_WithoutABackdoorToExplain_ExitsTwoSayingWhy(string? experiment, string message)
    {
        ExperimentSpec clean = Backdoored with { Trigger = null, PoisoningRate = 0 };
        Store(Result(clean, null));
        string[] named = experiment switch
        {
            "clean" => ["--experiment", clean.Id],
            "unknown" => ["--experiment", "0123456789abcdef"],
            _ => [],
        };

        (int code, _, string error) = ConsoleCapture.Run(["explain", "--out", study, .. named]);

        code.Should().Be(2);
        error.TrimEnd().Should().Match(message);
    }

    [Theory]
    [InlineData("--index", "3")]
    [InlineData("--experiment", "ffffffffffffffff")]
    [InlineData("--bogus", "1")]
    public void Explain_BadInput_ExitsTwo(string option, string value)
    {
        Store(Result(Backdoored, 0.9));

        Program.Execute(["explain", "--out", study, "--data", folder.Combine("data"), option, value], default).Should().Be(2);
    }

    [Fact]
    public void Explain_IndexBeyondTheStoredTestSet_FailsBeforeReadingDataOrTraining()
    {
        Store(Result(Backdoored, 0.9) with { TestSamples = 3 });
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        try
        {
            Program.Execute(["explain", "--out", study, "--data", folder.Combine("no-data-here"), "--index", "3"], default).Should().Be(2);
        }
        finally
        {
            Console.SetError(original);
        }

        error.ToString().Should().Contain("--index 3 is out of range: the test set has 3 images");
    }

    [Fact]
    public void Explain_FolderWithoutResults_ExitsTwo()
    {
        Program.Execute(["explain", "--out", folder.Combine("nowhere")], default).Should().Be(2);
    }

    [Fact]
    public void Train_ReturnsTheTrainedModelWithItsTestSetAndTrigger_AndRunMeasuresTheSameTraining()
    {
        using var runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = folder.Combine("data") });

        ExperimentResult result = runner.Run(Backdoored);
        using TrainedExperiment trained = runner.Train(Backdoored);

        trained.Test.Count.Should().Be(3);
        trained.Trigger.Should().NotBeNull();
        trained.Model.Module.training.Should().BeFalse();
        trained.Transform.Size.Should().Be(32);
        trained.Training.FinalLoss.Should().Be(result.FinalLoss, "Train trains exactly as Run does");
        trained.PoisonedCount.Should().Be(result.PoisonedCount);
        trained.TrainSamples.Should().Be(result.TrainSamples);
        trained.TriggerGeometry.Should().Be(result.Trigger);
        using TorchSharp.torch.Tensor inputs = trained.Transform.Apply(trained.Test.Images);
        using TorchSharp.torch.Tensor logits = trained.Model.Forward(inputs);
        logits.shape.Should().Equal(3, 10);
    }

    private static ExperimentResult Result(ExperimentSpec spec, double? asr) => new()
    {
        ExperimentId = spec.Id,
        Spec = spec,
        Protocol = BackdoorKit.Experiments.ComponentCatalog.Default.Protocols.Get(spec.Protocol),
        Seed = spec.Seed,
        CleanAccuracy = 0.5,
        AttackSuccessRate = asr,
        FinishedAt = DateTimeOffset.UnixEpoch,
    };

    private void Store(params ExperimentResult[] results)
    {
        using SqliteResultStore store = SqliteResultStore.OpenFolder(study);
        foreach (ExperimentResult result in results)
        {
            store.Add(result);
        }
    }
}
