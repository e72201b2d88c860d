namespace BackdoorKit.Experiments;

/// <summary>
/// The paper's AlexNet study (section 4.3.2, Figures 2 and 18): AlexNet "unfrozen layer by layer (from 14 to 0)" on
/// MNIST and CIFAR-10. For each freeze index j, parameter tensors 0..j are frozen and every later tensor plus the new
/// head train (<c>freeze-index-&lt;j&gt;</c>), crossed with trigger sizes and poisoning rates at one position and color, 5
/// times: 2 x 15 x 3 x 4 x 5 = 1,800 models, the number the paper states.
/// </summary>
public sealed record FreezeStudy
{
    /// <summary>Gets the model (AlexNet in the paper).</summary>
    public string Model { get; init; } = "alexnet";

    /// <summary>Gets the datasets (MNIST and CIFAR-10 in the paper).</summary>
    public IReadOnlyList<string> Datasets { get; init; } = ["mnist", "cifar10"];

    /// <summary>
    /// Gets the freeze indices j (the x axis of Figures 2 and 18): tensors 0..j frozen, the rest and the head train.
    /// The paper's 14 down to 0; each must be below the model's parameter tensor count.
    /// </summary>
    public IReadOnlyList<int> FreezeIndices { get; init; } = Enumerable.Range(0, 15).Reverse().ToArray();

    /// <summary>Gets the trigger sizes.</summary>
    public IReadOnlyList<double> TriggerSizes { get; init; } = [0.04, 0.06, 0.08];

    /// <summary>Gets the poisoning rates.</summary>
    public IReadOnlyList<double> PoisoningRates { get; init; } = [0.005, 0.01, 0.015, 0.02];

    /// <summary>Gets the trigger position (bottom-right in the paper's figures).</summary>
    public string Position { get; init; } = "bottom-right";

    /// <summary>Gets the trigger color (the paper does not name it; white, which works on MNIST's black corners).</summary>
    public string Color { get; init; } = "#FFFFFF";

    /// <summary>Gets the repetitions per cell (5, as every experiment of the paper).</summary>
    public int Repetitions { get; init; } = 5;
}
