using BackdoorKit.Training;

namespace BackdoorKit.Experiments;

/// <summary>One dataset of an <see cref="ExperimentMatrix"/>, with the settings that differ between datasets.</summary>
public sealed record DatasetEntry
{
    /// <summary>Gets the dataset name (<c>mnist</c>, <c>cifar10</c>, <c>tinyimagenet</c>, <c>folder</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the trigger colors for this dataset, or null for the matrix's colors.</summary>
    public IReadOnlyList<string>? Colors { get; init; }

    /// <summary>Gets the training options for this dataset, or null for the matrix's.</summary>
    public TrainingOptions? Training { get; init; }

    /// <summary>Gets the number of training samples used, or null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Gets the number of test samples used, or null for all.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Gets the side of the square model input in pixels, or null for the dataset's default.</summary>
    public int? InputSize { get; init; }
}
