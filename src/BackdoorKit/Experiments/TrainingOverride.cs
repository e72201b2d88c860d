using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>
/// Training options for one dataset x model cell of a matrix, taking precedence over the dataset's and the matrix's
/// (the paper trained VGG-19_BN on TinyImageNet with SGD, everything else with Adam). In JSON:
/// <c>"trainingOverrides": [{ "dataset": "tinyimagenet", "model": "vgg19_bn", "training": { "optimizer": "Sgd" } }]</c>;
/// training options left out take their defaults.
/// </summary>
public sealed record TrainingOverride
{
    /// <summary>Gets the dataset name of the cell.</summary>
    public required string Dataset { get; init; }

    /// <summary>Gets the model name of the cell.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the training options of the cell.</summary>
    public required TrainingOptions Training { get; init; }
}
