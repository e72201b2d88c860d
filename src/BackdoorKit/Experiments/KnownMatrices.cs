using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>The study presets that ship with BackdoorKit (docs/reproducing-the-paper.md explains them).</summary>
public static class KnownMatrices
{
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
    /// Gets the <c>quick</c> preset: the study at CPU scale, offline, on the bundled MNIST digits and
    /// <c>small-cnn</c> trained from scratch at 32 px (4,000 training and 500 test images, 3 epochs, batch 64). It keeps
    /// the paper's levels of every factor (3 sizes, 5 positions, 3 colors, 4 rates, 2 repetitions, clean baselines)
    /// but crosses them in two blocks instead of the full grid: size x rate x color at the bottom-right corner (the
    /// heat maps), and position x color at the largest size and rate (the position/color table): 74 backdoored and 2 clean experiments, about
    /// five minutes on 2 cores; docs/reproducing-the-paper.md says what it reduces and why.
    /// </summary>
    public static ExperimentMatrix Quick { get; } = QuickBlock(
        "quick",
        sizes: [0.04, 0.06, 0.08],
        positions: ["bottom-right"],
        colors: ["#FFFFFF", "#66B35C"],
        rates: [0.005, 0.01, 0.015, 0.02]) with
    {
        Include =
        [
            QuickBlock(
                "quick-position-color",
                sizes: [0.08],
                positions: ["top-left", "top-right", "middle", "bottom-left", "bottom-right"],
                colors: ["#000000", "#FFFFFF", "#66B35C"],
                rates: [0.02]),
        ],
    };

    /// <summary>Gets the presets by name.</summary>
    public static IReadOnlyList<ExperimentMatrix> All { get; } = [Paper, Quick];

    /// <summary>Finds a preset by name (<c>paper</c> or <c>quick</c>).</summary>
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

    private static ExperimentMatrix QuickBlock(
        string name, IReadOnlyList<double> sizes, IReadOnlyList<string> positions, IReadOnlyList<string> colors, IReadOnlyList<double> rates) => new()
    {
        Name = name,
        Datasets = [new DatasetEntry { Name = "mnist-sample", TrainLimit = 4000, TestLimit = 500, InputSize = 32 }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        Weights = "random",
        TriggerSizes = sizes,
        Positions = positions,
        Colors = colors,
        PoisoningRates = rates,
        Repetitions = 2,
        Training = TrainingOptions.Default with { Epochs = 3, BatchSize = 64 },
    };
}
