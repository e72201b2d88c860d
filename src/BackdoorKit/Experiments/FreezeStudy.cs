namespace BackdoorKit.Experiments;

/// <summary>
/// The paper's AlexNet study (Figures 2 and 18): the first k parameter tensors frozen, k = 0..16, crossed with trigger
/// sizes and poisoning rates, at one position and color.
/// </summary>
public sealed record FreezeStudy
{
    /// <summary>Gets the model (AlexNet in the paper).</summary>
    public string Model { get; init; } = "alexnet";

    /// <summary>Gets the datasets (MNIST and CIFAR-10 in the paper).</summary>
    public IReadOnlyList<string> Datasets { get; init; } = ["mnist", "cifar10"];

    /// <summary>Gets the numbers of frozen leading parameter tensors.</summary>
    public IReadOnlyList<int> FrozenCounts { get; init; } = Enumerable.Range(0, 17).ToArray();

    /// <summary>Gets the trigger sizes.</summary>
    public IReadOnlyList<double> TriggerSizes { get; init; } = [0.04, 0.06, 0.08];

    /// <summary>Gets the poisoning rates.</summary>
    public IReadOnlyList<double> PoisoningRates { get; init; } = [0.005, 0.01, 0.015, 0.02];

    /// <summary>Gets the trigger position (bottom-right in the paper's figures).</summary>
    public string Position { get; init; } = "bottom-right";

    /// <summary>Gets the trigger color (the paper does not name it; white, which works on MNIST's black corners).</summary>
    public string Color { get; init; } = "#FFFFFF";

    /// <summary>Gets the repetitions per cell.</summary>
    public int Repetitions { get; init; } = 1;
}
