using BackdoorKit.Models;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Models;

/// <summary>Inference on the CPU runs convolutions channels-last (oneDNN is faster there); training keeps NCHW.</summary>
public sealed class ConvolutionLayoutTests
{
    /// <summary>Initializes a new instance of the <see cref="ConvolutionLayoutTests"/> class (the oneDNN safeguard first).</summary>
    public ConvolutionLayoutTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Prefer_WithoutGradients_ReturnsTheSameValuesChannelsLast_AndWithGradientsTheInputItself()
    {
        using var scope = NewDisposeScope();
        Tensor input = rand(2, 3, 5, 7);
        bool oneDnn = TorchRuntime.Info!.OneDnn != "disabled";

        Tensor inference;
        using (no_grad())
        {
            inference = ConvolutionLayout.Prefer(input);
        }

        Tensor training = ConvolutionLayout.Prefer(input);

        inference.allclose(input, rtol: 0, atol: 0).Should().BeTrue();
        inference.stride().Should().Equal(oneDnn ? [105L, 1, 21, 3] : input.stride(), "channels-last strides: C is the innermost dimension");
        training.Should().BeSameAs(input);
        using (no_grad())
        {
            ConvolutionLayout.Prefer(rand(4, 3)).stride().Should().Equal([3L, 1], "only 4-D batches change layout");
        }
    }

    [Fact]
    public void CntkResNet18_EvaluatedChannelsLast_MatchesTheSameConvolutionsInNchw()
    {
        using BackdoorModel model = KnownModels.ResNet18ImageNetCntk.Create(3, ModelWeights.Random);
        model.SetTrainingMode(false);
        using var scope = NewDisposeScope();
        Tensor images = rand(3, 3, 64, 64);

        Tensor nchw = model.Forward(images);
        Tensor channelsLast;
        using (no_grad())
        {
            channelsLast = model.Forward(images);
        }

        channelsLast.allclose(nchw.detach(), rtol: 1e-4, atol: 1e-5).Should().BeTrue(
            $"the layout changes the order of sums only (max difference {(channelsLast - nchw.detach()).abs().max().item<float>()})");
    }
}
