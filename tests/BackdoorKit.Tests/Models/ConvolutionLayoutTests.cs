using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Models;

/// <summary>Convolutions run channels-last on the CPU with oneDNN (faster there), with the same values and gradients.</summary>
[Trait("Category", "Integration")]
public sealed class ConvolutionLayoutTests
{
    /// <summary>Initializes a new instance of the <see cref="ConvolutionLayoutTests"/> class (the oneDNN safeguard first).</summary>
    public ConvolutionLayoutTests() => TorchRuntime.EnsureInitialized();

    private static bool OneDnn => TorchRuntime.Info!.OneDnn != "disabled";

    [Fact]
    public void Prefer_ReturnsTheSameValuesChannelsLast_OnlyForBatchesOfImages()
    {
        using var scope = NewDisposeScope();
        Tensor input = rand(2, 3, 5, 7);

        Tensor preferred = ConvolutionLayout.Prefer(input);

        preferred.allclose(input, rtol: 0, atol: 0).Should().BeTrue();
        preferred.stride().Should().Equal(OneDnn ? [105L, 1, 21, 3] : input.stride(), "channels-last strides: C is the innermost dimension");
        ConvolutionLayout.Prefer(preferred).stride().Should().Equal(preferred.stride(), "converting twice changes nothing");
        ConvolutionLayout.Prefer(rand(4, 3)).stride().Should().Equal([3L, 1], "only 4-D batches change layout");
    }

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("resnet18")]
    [InlineData("resnet18-imagenet-cntk")]
    public void Forward_ChannelsLast_GivesTheLogitsAndGradientsOfNchw(string name)
    {
        using BackdoorModel model = ComponentCatalog.Default.Models.Get(name).Create(10, ModelWeights.Random, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.Full, Seed = 3 });
        model.SetTrainingMode(false);
        var firstConvolution = model.Module.modules().OfType<TorchSharp.Modules.Conv2d>().First();
        long[]? seen = null;
        var hook = firstConvolution.register_forward_hook((_, input, output) =>
        {
            seen ??= input.stride();
            return output;
        });
        using var scope = NewDisposeScope();
        Tensor images = rand(2, 3, 64, 64);

        (Tensor logits, Tensor[] gradients) = Run(() => model.Forward(images));
        (Tensor reference, Tensor[] referenceGradients) = Run(() => model.Module.call(images));
        hook.remove();

        if (OneDnn)
        {
            seen![1].Should().Be(1, "the first convolution's input is channels-last");
        }

        logits.allclose(reference, rtol: 1e-4, atol: 1e-5).Should().BeTrue("the layout changes the order of sums only");
        gradients.Zip(referenceGradients).Should().OnlyContain(
            g => g.First.allclose(g.Second, rtol: 1e-3, atol: 1e-5), "oneDNN's channels-last backward computes the same gradients");

        (Tensor Logits, Tensor[] Gradients) Run(Func<Tensor> forward)
        {
            model.GetTrainableParameters().ToList().ForEach(p => p.grad?.zero_());
            Tensor output = forward();
            output.square().mean().backward();
            return (output.detach(), [.. model.GetTrainableParameters().Select(p => p.grad!.clone())]);
        }
    }
}
