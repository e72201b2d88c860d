using BackdoorKit.Models.Freezing;
using TorchSharp;

namespace BackdoorKit.Models;

/// <summary>How <see cref="IModelFactory.Create"/> prepares a model beyond its architecture and weights.</summary>
public sealed record ModelOptions
{
    /// <summary>Gets the default options: every parameter trains, GoogLeNet input transform chosen automatically, CPU.</summary>
    public static ModelOptions Default { get; } = new();

    /// <summary>Gets the freeze strategy applied after the weights are loaded.</summary>
    public IFreezeStrategy FreezeStrategy { get; init; } = KnownFreezeStrategies.Full;

    /// <summary>
    /// Gets whether GoogLeNet re-normalises its ImageNet-normalised input the way its original weights expect
    /// (torchvision's <c>transform_input</c>). <see langword="null"/> (default): on when weights are loaded from a
    /// file, as torchvision does for its pretrained model, off for random initialisation. Ignored by other families.
    /// </summary>
    public bool? TransformInput { get; init; }

    /// <summary>Gets the device the model is moved to after loading; <see langword="null"/> keeps it on the CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>
    /// Gets the seed of the new layers' initial values, or <see langword="null"/> to draw them from torch's global
    /// generator as it stands. With a seed, the factory seeds the global generator and builds the model under one
    /// process-wide lock (<see cref="ModelSeeding"/>), so the same seed gives the same model even while other threads
    /// create models; threads that draw from the global generator outside that lock can still interleave.
    /// </summary>
    public int? Seed { get; init; }
}
