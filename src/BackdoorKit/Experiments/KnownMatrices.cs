using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>The study presets that ship with BackdoorKit (docs/reproducing-the-paper.md explains them).</summary>
public static class KnownMatrices
{
    /// <summary>
    /// Gets the paper's study (PROTOCOL.md section 1): MNIST, CIFAR-10 and TinyImageNet; AlexNet, GoogLeNet, VGG-19_BN and
    /// ResNet-152 with ImageNet weights; sizes 4/6/8 %; five positions; black, white and green (no green on MNIST);
    /// rates 0.5-2 %; 5 repetitions; 20 epochs, Adam, lr 0.001, batch 128 (32 for TinyImageNet): 9,600 backdoored models,
    /// 60 clean baselines and the AlexNet freeze study (2 datasets x 17 x 3 sizes x 4 rates = 408).
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
        Repetitions = 5,
        FreezeStudy = new FreezeStudy(),
        ColoredTriggersOnGrayDatasets = false,
    };

    /// <summary>
    /// Gets the offline CPU preset: the bundled MNIST digits and the small CNN trained from scratch, covering every
    /// trigger factor (3 sizes x 5 positions x 3 colors x 4 rates x 2 repetitions, plus clean baselines) on a subset and
    /// for few epochs, so that it finishes in minutes on two cores. See docs/reproducing-the-paper.md for what it reduces.
    /// </summary>
    public static ExperimentMatrix Quick { get; } = new()
    {
        Name = "quick",
        Datasets = [new DatasetEntry { Name = "mnist", TrainLimit = 2000, TestLimit = 500 }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        Weights = "random",
        Repetitions = 2,
        Training = TrainingOptions.Default with { Epochs = 2, BatchSize = 64 },
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
}
