using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

public class ExperimentMatrixTests
{
    [Fact]
    public void Paper_ExpandsToThePapersCounts()
    {
        ExperimentPlan plan = KnownMatrices.Paper.Expand();

        // MNIST 4 models x 3 sizes x 5 positions x 2 colors x 4 rates x 5 reps = 2,400; CIFAR-10 and TinyImageNet 3,600 each.
        plan.Backdoored.Should().HaveCount(9_600);
        plan.Clean.Should().HaveCount(60);
        plan.FreezeStudy.Should().HaveCount(1_800, "2 datasets x 15 freeze indices x 3 sizes x 4 rates x 5 repetitions, as the paper states");
        plan.All.Select(s => s.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Paper_UsesThePapersTrainingPerDataset()
    {
        ExperimentPlan plan = KnownMatrices.Paper.Expand();

        plan.All.Where(s => s.Dataset == "tinyimagenet").Should().OnlyContain(s => s.Training.BatchSize == 32);
        plan.All.Where(s => s.Dataset != "tinyimagenet").Should().OnlyContain(s => s.Training.BatchSize == 128);
        plan.All.Should().OnlyContain(s => s.Training.Epochs == 20 && s.Training.LearningRate == 0.001);
        plan.All.Where(s => s.Dataset == "tinyimagenet" && s.Model == "vgg19_bn").Should().HaveCount(905, "900 backdoored and 5 clean")
            .And.OnlyContain(s => s.Training.Optimizer == OptimizerKind.Sgd && s.Training.Momentum == 0.9);
        plan.All.Where(s => s.Dataset != "tinyimagenet" || s.Model != "vgg19_bn").Should().OnlyContain(s => s.Training.Optimizer == OptimizerKind.Adam);
        plan.Backdoored.Where(s => s.Dataset == "mnist").Should().NotContain(s => s.Trigger!.Color == "#66B35C");
        plan.Clean.Should().OnlyContain(s => s.Trigger == null && s.PoisoningRate == 0);
        plan.FreezeStudy.Select(s => s.FreezeStrategy).Distinct().Should().BeEquivalentTo(Enumerable.Range(0, 15).Select(j => $"freeze-index-{j}"));
        plan.FreezeStudy.Should().OnlyContain(s => s.Model == "alexnet" && (s.Dataset == "mnist" || s.Dataset == "cifar10") && s.Trigger!.Position == "bottom-right");
    }

    [Fact]
    public void Expand_TrainingOverride_AppliesToItsCellOnly_AndRoundTripsThroughJson()
    {
        TrainingOptions sgd = TrainingOptions.Default with { Optimizer = OptimizerKind.Sgd, LearningRate = 0.01 };
        ExperimentMatrix matrix = Valid with
        {
            Models = ["small-cnn", "resnet18"],
            TrainingOverrides = [new TrainingOverride { Dataset = "mnist", Model = "resnet18", Training = sgd }],
        };
        string path = Path.GetTempFileName();
        try
        {
            matrix.Save(path);
            ExperimentPlan plan = ExperimentMatrix.Load(path).Expand();

            plan.All.Where(s => s.Model == "resnet18" && s.Dataset == "mnist").Should().NotBeEmpty().And.OnlyContain(s => s.Training == sgd);
            plan.All.Where(s => s.Model != "resnet18" || s.Dataset != "mnist").Should().HaveCount(6).And.OnlyContain(s => s.Training == matrix.Training);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Expand_RepetitionsDifferOnlyInSeed()
    {
        var matrix = new ExperimentMatrix
        {
            Datasets = [new DatasetEntry { Name = "mnist" }],
            Models = ["small-cnn"],
            TriggerSizes = [0.08],
            Positions = ["middle"],
            Colors = ["#FFFFFF"],
            PoisoningRates = [0.01],
            Repetitions = 3,
            BaseSeed = 40,
        };

        ExperimentPlan plan = matrix.Expand();

        plan.Backdoored.Select(s => (s.Repetition, s.Seed)).Should().Equal((0, 40), (1, 41), (2, 42));
        plan.Backdoored.Select(s => s with { Repetition = 0, Seed = 0 }).Distinct().Should().HaveCount(1);
    }

    [Fact]
    public void Quick_CrossesThePapersFullGridOnPretrainedFrozenFeatures()
    {
        ExperimentPlan plan = KnownMatrices.Quick.Expand();
        ExperimentSpec[] main = [.. plan.Backdoored.Where(s => s.Block is null)];

        main.Should().HaveCount(3 * 5 * 2 * 4 * 2, "3 sizes x 5 positions x black and white x 4 rates x 2 repetitions");
        plan.Clean.Should().HaveCount(2).And.OnlyContain(s => s.Block == null);
        plan.FreezeStudy.Should().BeEmpty();
        plan.All.Select(s => s.Id).Should().OnlyHaveUniqueItems();
        main.Select(s => s.Trigger!.Size).Distinct().Should().BeEquivalentTo([0.04, 0.06, 0.08]);
        main.Select(s => s.Trigger!.Position).Distinct().Should().HaveCount(5);
        main.Select(s => s.Trigger!.Color).Distinct().Should().BeEquivalentTo(["#000000", "#FFFFFF"]);
        main.Select(s => s.PoisoningRate).Distinct().Should().BeEquivalentTo([0.005, 0.01, 0.015, 0.02]);
        main.Select(s => s.Repetition).Distinct().Should().BeEquivalentTo([0, 1]);
        main.Concat(plan.Clean).Should().OnlyContain(s => s.Dataset == "mnist-sample" && s.Model == "resnet18-imagenet-cntk" && s.Weights == "pretrained"
            && s.FreezeStrategy == "linear-probe" && s.InputSize == 64 && s.TrainLimit == null);
    }

    [Fact]
    public void Quick_HasAFreezeDepthBlockFromHeadOnlyToEveryStage_AndTheSameSettingFromScratch()
    {
        ExperimentPlan plan = KnownMatrices.Quick.Expand();
        ExperimentSpec[] depth = [.. plan.Backdoored.Where(s => s.Block == "freeze-depth")];
        ExperimentSpec[] scratch = [.. plan.Backdoored.Where(s => s.Block == "from-scratch")];

        depth.Select(s => s.FreezeStrategy).Should().Equal(Enumerable.Range(0, 5).Select(k => $"train-last-{k}-stages"));
        depth.Should().OnlyContain(s => s.Weights == "pretrained");
        scratch.Should().ContainSingle().Which.Should().Match<ExperimentSpec>(s => s.Weights == "random" && s.FreezeStrategy == "full");
        ExperimentSpec[] both = [.. depth, .. scratch];
        both.Select(s => s with { FreezeStrategy = "x", Weights = "random", Block = null }).Distinct().Should().ContainSingle(
            "the blocks differ only in freezing and weights, so Finding 1 compares like with like");
        both.Should().OnlyContain(s => s.Model == "resnet18-imagenet-cntk" && s.InputSize == 32 && s.TrainLimit == 2048
            && s.Trigger == new TriggerSpec(0.08, "bottom-right", "#FFFFFF") && s.PoisoningRate == 0.02);
    }

    [Fact]
    public void Expand_StampsTheMatrixBlockOnItsOwnExperiments_AndEachIncludedBlockOnItsOwn()
    {
        ExperimentMatrix matrix = Tiny() with
        {
            Include = [Tiny() with { Block = "depth", Positions = ["top-left"] }],
            FreezeStudy = new FreezeStudy { Model = "small-cnn", Datasets = ["mnist"], FreezeIndices = [1], TriggerSizes = [0.1], PoisoningRates = [0.1], Repetitions = 1 },
        };

        ExperimentPlan plan = matrix.Expand();

        plan.Backdoored.Where(s => s.Trigger!.Position == "top-left").Should().ContainSingle().Which.Block.Should().Be("depth");
        plan.Backdoored.Where(s => s.Trigger!.Position != "top-left").Should().ContainSingle().Which.Block.Should().BeNull();
        plan.FreezeStudy.Should().ContainSingle().Which.Block.Should().BeNull();
        plan.Clean.Select(s => s.Block).Should().BeEquivalentTo([null, "depth"], "a labelled block's clean baseline is its own");
    }

    [Fact]
    public void Block_IsPartOfTheIdOnlyWhenSet()
    {
        ExperimentSpec spec = Tiny().Expand().Backdoored[0];

        ExperimentIds.CanonicalJson(spec).Should().NotContain("block");
        ExperimentIds.CanonicalJson(spec with { Block = "depth" }).Should().Contain("\"block\":\"depth\"");
        (spec with { Block = "depth" }).Id.Should().NotBe(spec.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-depth")]
    [InlineData("a b")]
    public void Block_WithUnsafeLabel_FailsNamingIt(string label)
    {
        Action spec = () => _ = Tiny().Expand().Backdoored[0] with { Block = label };
        Action matrix = () => (Tiny() with { Include = [Tiny() with { Block = label }] }).Validate();

        spec.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Block").WithMessage($"*got '{label}'*");
        matrix.Should().Throw<ExperimentMatrixException>().Where(e => e.Entry == "include[0].block");
    }

    [Fact]
    public void Expand_WithIncludedBlock_AddsItsExperimentsOnce()
    {
        ExperimentMatrix block = Tiny() with { Positions = ["top-left", "middle"] };
        ExperimentMatrix matrix = Tiny() with { Include = [block] };

        ExperimentPlan plan = matrix.Expand();

        plan.Backdoored.Select(s => s.Trigger!.Position).Should().BeEquivalentTo(["bottom-right", "top-left", "middle"]);
        plan.Clean.Should().HaveCount(1, "both blocks share the clean baseline");
    }

    [Fact]
    public void Validate_WithInvalidIncludedBlock_NamesTheBlockEntry()
    {
        ExperimentMatrix matrix = Tiny() with { Include = [Tiny() with { Models = ["resnet50"] }] };

        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>()
            .Where(e => e.Entry == "include[0].models[0]")
            .WithMessage("include[0].models[0] 'resnet50' is not a known model*");
    }

    [Fact]
    public void Expand_WithDatasetInputSize_PutsItOnEverySpec()
    {
        ExperimentMatrix matrix = Tiny() with { Datasets = [new DatasetEntry { Name = "mnist", InputSize = 40 }] };

        matrix.Expand().All.Should().OnlyContain(s => s.InputSize == 40);
    }

    [Fact]
    public void Validate_WithInputSizeBelowTheModelsMinimum_NamesTheDataset()
    {
        ExperimentMatrix matrix = Tiny() with { Datasets = [new DatasetEntry { Name = "mnist", InputSize = 8 }] };

        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>().WithMessage("*'small-cnn' needs inputs of at least 16 px*datasets[0] 'mnist' is fed at 8 px*");
    }

    [Theory]
    [InlineData(48, false)]
    [InlineData(60, false)]
    [InlineData(64, true)]
    [InlineData(67, true)]
    public void Validate_OnASideTheOnnxResNetCannotTake_NamesTheSidesItTakes(int side, bool valid)
    {
        ExperimentMatrix matrix = Tiny() with { Models = ["resnet18-imagenet-cntk"], Datasets = [new DatasetEntry { Name = "mnist", InputSize = side }] };

        Action act = () => matrix.Validate();

        if (valid)
        {
            act.Should().NotThrow();
        }
        else
        {
            act.Should().Throw<ExperimentMatrixException>().WithMessage($"*'resnet18-imagenet-cntk' needs an input side of 32k to 32k + 3 px*is fed at {side} px*");
        }
    }

    private static ExperimentMatrix Tiny() => new()
    {
        Datasets = [new DatasetEntry { Name = "mnist" }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        TriggerSizes = [0.08],
        Positions = ["bottom-right"],
        Colors = ["#FFFFFF"],
        PoisoningRates = [0.02],
        Repetitions = 1,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shard_SlicesPartitionThePlanExactly(int shards)
    {
        ExperimentPlan plan = KnownMatrices.Quick.Expand();

        var slices = Enumerable.Range(0, shards).Select(i => plan.Shard(i, shards)).ToArray();

        slices.SelectMany(s => s).Select(s => s.Id).Should().BeEquivalentTo(plan.All.Select(s => s.Id));
        slices.Sum(s => s.Count).Should().Be(plan.All.Count);
        slices.Max(s => s.Count).Should().BeLessThanOrEqualTo(slices.Min(s => s.Count) + 1);
    }

    [Fact]
    public void Shard_WithIndexOutsideTheCount_Fails()
    {
        Action act = () => KnownMatrices.Quick.Expand().Shard(3, 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 2]*");
    }

    [Fact]
    public void SaveAndLoad_RoundTripsToTheSamePlan()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        try
        {
            KnownMatrices.Paper.Save(path);
            ExperimentMatrix loaded = ExperimentMatrix.Load(path);

            loaded.Expand().All.Select(s => s.Id).Should().Equal(KnownMatrices.Paper.Expand().All.Select(s => s.Id));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WithBrokenJson_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"models\": [");
        try
        {
            Action act = () => ExperimentMatrix.Load(path);

            act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFileName(path)}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly ExperimentMatrix Valid = new()
    {
        Datasets = [new DatasetEntry { Name = "mnist" }, new DatasetEntry { Name = "cifar10" }],
        Models = ["small-cnn"],
        TriggerSizes = [0.08],
        Positions = ["middle"],
        Colors = ["#FFFFFF"],
        PoisoningRates = [0.01],
        Repetitions = 1,
    };

    private static readonly FreezeStudy Study = new() { TriggerSizes = [0.08], PoisoningRates = [0.01] };

    [Theory]
    [InlineData("quick")]
    [InlineData("paper")]
    public void Validate_Presets_Pass(string preset)
    {
        Action act = () => KnownMatrices.Get(preset).Validate();

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData("unknown dataset", "datasets[1].name 'cifar100' is not a known dataset (known: mnist, mnist-sample, cifar10, tinyimagenet, folder)")]
    [InlineData("unknown model", "models[1] 'resnet50' is not a known model (known: alexnet, vgg19_bn, resnet152, googlenet, resnet18, small-cnn, resnet18-imagenet-cntk)")]
    [InlineData("unknown freeze strategy", "freezeStrategy 'freeze-last-3' is not a known freeze strategy (known: paper-text, seed-code, linear-probe, full, freeze-first-<k>, freeze-index-<j>, train-last-<k>-stages)")]
    [InlineData("unknown protocol", "protocol 'paper' is not a known protocol (known: paper-text, seed-code)")]
    [InlineData("unknown position", "positions[1] 'center' is not a known trigger position (known: top-left, top-right, middle, bottom-left, bottom-right)")]
    [InlineData("custom position", "positions[0] 'custom' needs a pixel offset*")]
    [InlineData("unknown color", "colors[1] 'teal' is not a known trigger color (known: black, white, green, #RRGGBB)")]
    [InlineData("unknown dataset color", "datasets[0].colors[0] '#12345' is not a known trigger color*")]
    [InlineData("green on mnist", "colors[2] '#66B35C' is a colored trigger, but datasets[1] 'mnist' is gray and coloredTriggersOnGrayDatasets is false*")]
    [InlineData("green in mnist's own colors", "datasets[0].colors[1] 'green' is a colored trigger, but datasets[0] 'mnist' is gray*")]
    [InlineData("green in the freeze study", "freezeStudy.color 'green' is a colored trigger, but freezeStudy.datasets[0] 'mnist' is gray*")]
    [InlineData("trigger larger than the image", "triggerSizes[1] 1.5 is not in (0, 1]*does not fit*")]
    [InlineData("trigger of size 0", "triggerSizes[0] 0 is not in (0, 1]*")]
    [InlineData("negative rate", "poisoningRates[0] -0.01 is not in (0, 1]*")]
    [InlineData("rate above 1", "poisoningRates[1] 1.5 is not in (0, 1]*")]
    [InlineData("rate 0", "poisoningRates[0] 0 is not in (0, 1]*cleanBaselines*")]
    [InlineData("no repetitions", "repetitions 0 is not in [1, 1000]*")]
    [InlineData("no datasets", "datasets is empty*")]
    [InlineData("no models", "models is empty*")]
    [InlineData("no sizes", "triggerSizes is empty*")]
    [InlineData("no positions", "positions is empty*")]
    [InlineData("no colors", "colors is empty*")]
    [InlineData("no rates", "poisoningRates is empty*")]
    [InlineData("empty dataset colors", "datasets[0].colors is empty*")]
    [InlineData("repeated model", "models[1] 'small-cnn' repeats models[0]")]
    [InlineData("repeated color", "colors[1] '#FFFFFF' repeats colors[0]")]
    [InlineData("repeated dataset", "datasets[1] 'mnist' repeats datasets[0]")]
    [InlineData("negative train limit", "datasets[0].trainLimit -5 is not a positive count*")]
    [InlineData("zero test limit", "datasets[1].testLimit 0 is not a positive count*")]
    [InlineData("unknown weights", "weights 'imagenet' is neither 'pretrained' nor 'random'")]
    [InlineData("negative target class", "targetClass -1 is negative")]
    [InlineData("no training options", "training is missing*")]
    [InlineData("freeze-first beyond the model", "freezeStrategy 'freeze-first-12' freezes 12 parameter tensors, but models[0] 'small-cnn' has 11: nothing would train")]
    [InlineData("freeze-first of every tensor", "freezeStrategy 'freeze-first-11' freezes 11 parameter tensors, but models[0] 'small-cnn' has 11: nothing would train")]
    [InlineData("freeze-index beyond the model", "freezeStrategy 'freeze-index-11' freezes 12 parameter tensors, but models[0] 'small-cnn' has 11: nothing would train")]
    [InlineData("freeze study j beyond alexnet", "freezeStudy.freezeIndices[1] 16 is not in [0, 15] (alexnet has 16 parameter tensors)")]
    [InlineData("freeze study negative j", "freezeStudy.freezeIndices[0] -1 is not in [0, 15]*")]
    [InlineData("override of a cell not run", "trainingOverrides[0] names the cell mnist x resnet18, which the matrix does not run*")]
    [InlineData("override without training", "trainingOverrides[0].training is missing")]
    [InlineData("repeated override", "trainingOverrides[1] 'mnist x small-cnn' repeats trainingOverrides[0]")]
    [InlineData("freeze study unknown model", "freezeStudy.model 'alexnet2' is not a known model*")]
    [InlineData("freeze study unknown dataset", "freezeStudy.datasets[1] 'imagenet' is not a known dataset*")]
    [InlineData("freeze study trigger too large", "freezeStudy.triggerSizes[0] 2 is not in (0, 1]*")]
    [InlineData("freeze study rate 0", "freezeStudy.poisoningRates[0] 0 is not in (0, 1]*")]
    [InlineData("freeze study unknown position", "freezeStudy.position 'bottom' is not a known trigger position*")]
    [InlineData("freeze study no repetitions", "freezeStudy.repetitions 0 is not in [1, 1000]*")]
    public void Validate_InvalidEntry_ThrowsNamingTheEntryAndValue(string problem, string message)
    {
        ExperimentMatrix matrix = Invalid(problem);

        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>().WithMessage(message)
            .Which.Entry.Should().Be(message[..message.IndexOf(' ', StringComparison.Ordinal)]);
    }

    [Fact]
    public void Expand_InvalidMatrix_ThrowsAnArgumentExceptionBeforeExpanding()
    {
        Action act = () => (Valid with { Models = ["resnet50"] }).Expand();

        act.Should().Throw<ArgumentException>().WithMessage("models[0] 'resnet50'*");
    }

    [Fact]
    public void Validate_DatasetSmallerThanTheModelInput_ThrowsNamingModelAndDataset()
    {
        ExperimentMatrix matrix = Valid with { Datasets = [Valid.Datasets[0] with { InputSize = 8 }] };

        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>()
            .WithMessage("models[0] 'small-cnn' needs inputs of at least 16 px, but datasets[0] 'mnist' is fed at 8 px");
    }

    [Fact]
    public void Load_WithAnUnknownModel_NamesTheFileAndTheEntry()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "datasets": [ { "name": "mnist" } ], "models": [ "small-cnn", "resnet50" ] }""");
        try
        {
            Action act = () => ExperimentMatrix.Load(path);

            act.Should().Throw<InvalidDataException>()
                .WithMessage($"*{Path.GetFileName(path)}*models[1] 'resnet50' is not a known model*")
                .WithInnerException<ExperimentMatrixException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WithInvalidTrainingOptions_NamesTheFileAndTheOption()
    {
        string path = Path.Combine(Path.GetTempPath(), $"matrix-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "datasets": [ { "name": "mnist", "training": { "epochs": 0 } } ], "models": [ "small-cnn" ] }""");
        try
        {
            Action act = () => ExperimentMatrix.Load(path);

            act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFileName(path)}*TrainingOptions.Epochs*got 0*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ExperimentMatrix Invalid(string problem) => problem switch
    {
        "unknown dataset" => Valid with { Datasets = [new DatasetEntry { Name = "mnist" }, new DatasetEntry { Name = "cifar100" }] },
        "unknown model" => Valid with { Models = ["small-cnn", "resnet50"] },
        "unknown freeze strategy" => Valid with { FreezeStrategy = "freeze-last-3" },
        "unknown protocol" => Valid with { Protocol = "paper" },
        "unknown position" => Valid with { Positions = ["middle", "center"] },
        "custom position" => Valid with { Positions = ["custom"] },
        "unknown color" => Valid with { Colors = ["#FFFFFF", "teal"] },
        "unknown dataset color" => Valid with { Datasets = [new DatasetEntry { Name = "mnist", Colors = ["#12345"] }] },
        "green on mnist" => KnownMatrices.Paper with { Datasets = [new DatasetEntry { Name = "cifar10" }, new DatasetEntry { Name = "mnist" }] },
        "green in mnist's own colors" => KnownMatrices.Paper with { Datasets = [new DatasetEntry { Name = "mnist", Colors = ["black", "green"] }] },
        "green in the freeze study" => KnownMatrices.Paper with { FreezeStudy = new FreezeStudy { Color = "green" } },
        "trigger larger than the image" => Valid with { TriggerSizes = [0.08, 1.5] },
        "trigger of size 0" => Valid with { TriggerSizes = [0] },
        "negative rate" => Valid with { PoisoningRates = [-0.01] },
        "rate above 1" => Valid with { PoisoningRates = [0.01, 1.5] },
        "rate 0" => Valid with { PoisoningRates = [0] },
        "no repetitions" => Valid with { Repetitions = 0 },
        "no datasets" => Valid with { Datasets = [] },
        "no models" => Valid with { Models = [] },
        "no sizes" => Valid with { TriggerSizes = [] },
        "no positions" => Valid with { Positions = [] },
        "no colors" => Valid with { Colors = [] },
        "no rates" => Valid with { PoisoningRates = [] },
        "empty dataset colors" => Valid with { Datasets = [new DatasetEntry { Name = "mnist", Colors = [] }] },
        "repeated model" => Valid with { Models = ["small-cnn", "SMALL-CNN"] },
        "repeated color" => Valid with { Colors = ["white", "#FFFFFF"] },
        "repeated dataset" => Valid with { Datasets = [new DatasetEntry { Name = "mnist" }, new DatasetEntry { Name = "MNIST", TrainLimit = 10 }] },
        "negative train limit" => Valid with { Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = -5 }] },
        "zero test limit" => Valid with { Datasets = [new DatasetEntry { Name = "mnist" }, new DatasetEntry { Name = "cifar10", TestLimit = 0 }] },
        "unknown weights" => Valid with { Weights = "imagenet" },
        "negative target class" => Valid with { TargetClass = -1 },
        "no training options" => Valid with { Training = null! },
        "freeze-first beyond the model" => Valid with { FreezeStrategy = "freeze-first-12" },
        "freeze-first of every tensor" => Valid with { FreezeStrategy = "freeze-first-11" },
        "freeze-index beyond the model" => Valid with { FreezeStrategy = "freeze-index-11" },
        "freeze study j beyond alexnet" => Valid with { FreezeStudy = Study with { FreezeIndices = [0, 16] } },
        "freeze study negative j" => Valid with { FreezeStudy = Study with { FreezeIndices = [-1] } },
        "override of a cell not run" => Valid with { TrainingOverrides = [new TrainingOverride { Dataset = "mnist", Model = "resnet18", Training = TrainingOptions.Default }] },
        "override without training" => Valid with { TrainingOverrides = [new TrainingOverride { Dataset = "mnist", Model = "small-cnn", Training = null! }] },
        "repeated override" => Valid with
        {
            TrainingOverrides =
            [
                new TrainingOverride { Dataset = "mnist", Model = "small-cnn", Training = TrainingOptions.Default },
                new TrainingOverride { Dataset = "mnist", Model = "small-cnn", Training = TrainingOptions.Default with { Epochs = 2 } },
            ],
        },
        "freeze study unknown model" => Valid with { FreezeStudy = Study with { Model = "alexnet2" } },
        "freeze study unknown dataset" => Valid with { FreezeStudy = Study with { Datasets = ["mnist", "imagenet"] } },
        "freeze study trigger too large" => Valid with { FreezeStudy = Study with { TriggerSizes = [2] } },
        "freeze study rate 0" => Valid with { FreezeStudy = Study with { PoisoningRates = [0] } },
        "freeze study unknown position" => Valid with { FreezeStudy = Study with { Position = "bottom" } },
        "freeze study no repetitions" => Valid with { FreezeStudy = Study with { Repetitions = 0 } },
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such case"),
    };
}
