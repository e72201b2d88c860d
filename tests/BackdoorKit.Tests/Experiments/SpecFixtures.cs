using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Experiments;

/// <summary>Experiments for tests to vary with <c>with</c>.</summary>
internal static class SpecFixtures
{
    /// <summary>Gets a backdoored small CNN on MNIST: white 8 % trigger at the bottom right, 2 % poisoned, pretrained-weights default.</summary>
    public static ExperimentSpec SmallCnnOnMnist { get; } = new()
    {
        Dataset = "mnist",
        Model = "small-cnn",
        FreezeStrategy = "full",
        Protocol = "paper-text",
        Trigger = new TriggerSpec(0.08, "bottom-right", "#FFFFFF"),
        PoisoningRate = 0.02,
    };
}
