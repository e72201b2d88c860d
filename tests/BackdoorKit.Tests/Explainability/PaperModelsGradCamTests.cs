using BackdoorKit.Explainability;
using BackdoorKit.Models;
using BackdoorKit.Tests.Models;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Explainability;

[Trait("Category", "Integration")]
[Collection(PaperModelsCollection.Name)]
public class PaperModelsGradCamTests(PaperModelsFixture models)
{
    // At 64 px the Grad-CAM layers are 3 x 3 (AlexNet features.11), 4 x 4 (VGG features.51, before the last pooling), 2 x 2 (ResNet layer4, GoogLeNet inception5b).
    [Theory]
    [InlineData("alexnet", 3)]
    [InlineData("vgg19_bn", 4)]
    [InlineData("resnet152", 2)]
    [InlineData("googlenet", 2)]
    public void Compute_DefaultLayer_WorksOnEveryPaperModel(string name, int featureSide)
    {
        BackdoorModel model = models[name];
        int side = Math.Max(model.MinimumInputSize, 64);
        using var generator = new Generator(3);
        using Tensor inputs = randn([2, 3, side, side], generator: generator);
        var cam = new GradCam(model);

        using Tensor maps = cam.Compute(inputs, [1, 999]);
        using Tensor features = LayerActivations.Capture(model, inputs);

        cam.LayerName.Should().Be(model.Architecture.GradCamLayerName);
        maps.shape.Should().Equal(2, side, side);
        maps.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
        maps.max().item<float>().Should().BeLessThanOrEqualTo(1f);
        features.shape[0].Should().Be(2);
        features.shape[2].Should().Be(featureSide);
        model.Module.parameters().Select(p => p.grad is null).Should().OnlyContain(unset => unset);
    }
}
