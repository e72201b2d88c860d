using BackdoorKit.Models;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Models;

/// <summary>Convolutions without a gradient run channels-last on the CPU (oneDNN is faster there); with one, NCHW.</summary>
public sealed class ConvolutionLayoutTests
{
    /// <summary>Initializes a new instance of the <see cref="ConvolutionLayoutTests"/> class (the oneDNN safeguard first).</summary>
    public ConvolutionLayoutTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Prefer_WithoutAGradient_ReturnsTheSameValuesChannelsLast_AndWithOneNchw()
    {
        using var scope = NewDisposeScope();
        Tensor input = rand(2, 3, 5, 7);
        bool oneDnn = TorchRuntime.Info!.OneDnn != "disabled";

        Tensor inference = ConvolutionLayout.Prefer(input, gradientFlows: false);
        Tensor training = ConvolutionLayout.Prefer(inference, gradientFlows: true);

        inference.allclose(input, rtol: 0, atol: 0).Should().BeTrue();
        inference.stride().Should().Equal(oneDnn ? [105L, 1, 21, 3] : input.stride(), "channels-last strides: C is the innermost dimension");
        training.allclose(input, rtol: 0, atol: 0).Should().BeTrue();
        training.stride().Should().Equal(input.stride(), "where a gradient flows, convolutions run NCHW as before");
        ConvolutionLayout.Prefer(rand(4, 3), gradientFlows: false).stride().Should().Equal([3L, 1], "only 4-D batches change layout");
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

    [Theory]
    [InlineData("linear-probe", true)]
    [InlineData("full", false)]
    public void Forward_InTraining_RunsConvolutionsChannelsLastOnlyWhenNoGradientReachesThem(string strategy, bool channelsLast)
    {
        using BackdoorModel model = KnownModels.Create(
            "small-cnn", 10, ModelWeights.Random, new ModelOptions { FreezeStrategy = BackdoorKit.Models.Freezing.KnownFreezeStrategies.Get(strategy), Seed = 3 });
        model.SetTrainingMode(true);
        var firstConvolution = model.Module.modules().OfType<TorchSharp.Modules.Conv2d>().First();
        long[]? seen = null;
        var hook = firstConvolution.register_forward_hook((_, input, output) =>
        {
            seen ??= input.stride();
            return output;
        });
        using var scope = NewDisposeScope();
        Tensor images = rand(2, 3, 32, 32);

        Tensor logits = model.Forward(images);
        Tensor reference = model.Module.call(images);
        hook.remove();

        bool oneDnn = TorchRuntime.Info!.OneDnn != "disabled";
        seen.Should().Equal(channelsLast && oneDnn ? [3072L, 1, 96, 3] : [3072L, 1024, 32, 1]);
        logits.allclose(reference, rtol: 1e-4, atol: 1e-5).Should().BeTrue("the layout changes the order of sums only");
    }
}
