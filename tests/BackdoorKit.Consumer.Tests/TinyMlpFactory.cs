using BackdoorKit.Models;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Consumer.Tests;

/// <summary>An architecture BackdoorKit does not ship: flatten, a 32-unit hidden layer <c>fc1</c>, ReLU and the head <c>fc</c>, for 16 px inputs.</summary>
public sealed class TinyMlpFactory : IModelFactory
{
    /// <summary>The only input side the architecture takes.</summary>
    public const int Side = 16;

    /// <inheritdoc />
    public string Name => "tiny-mlp";

    /// <inheritdoc />
    public ModelFamily Family => ModelFamily.Other;

    /// <inheritdoc />
    public string HeadModuleName => "fc";

    /// <inheritdoc />
    public IReadOnlyList<string> HeadParameterNames => ["fc.weight", "fc.bias"];

    /// <inheritdoc />
    public IReadOnlyList<string> WeightsFileNames => [];

    /// <inheritdoc />
    public string GradCamLayerName => "fc1";

    /// <inheritdoc />
    public int MinimumInputSize => Side;

    /// <inheritdoc />
    public int ParameterTensorCount => 4;

    /// <inheritdoc />
    public double? ForwardGigaMacsAt224 => 3 * Side * Side * 32 / 1e9;

    /// <inheritdoc />
    public string? RejectInputSize(int side) => side == Side ? null : $"takes {Side} px inputs only";

    /// <inheritdoc />
    public BackdoorModel Create(int numClasses, ModelWeights? weights = null, ModelOptions? options = null, ILogger? logger = null)
    {
        if (weights is { IsRandom: false })
        {
            throw new ArgumentException("tiny-mlp has no pretrained weights; use ModelWeights.Random.", nameof(weights));
        }

        options ??= ModelOptions.Default;
        if (options.Seed is int seed)
        {
            random.manual_seed(seed);
        }

        var module = nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(3 * Side * Side, 32)),
            ("relu", nn.ReLU()),
            ("fc", nn.Linear(32, numClasses)));
        if (options.Device is not null)
        {
            module.to(options.Device);
        }

        var model = new BackdoorModel(this, module, numClasses, "random");
        model.ApplyFreezeStrategy(options.FreezeStrategy);
        return model;
    }
}
