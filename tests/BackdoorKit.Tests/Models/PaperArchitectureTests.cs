using BackdoorKit.Models;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

/// <summary>
/// The paper's four models must have exactly torchvision's state-dict keys and shapes, or official checkpoints would not
/// load. The facts below are torchvision's (Python), written out by hand, not read from the code under test.
/// </summary>
[Trait("Category", "Integration")]
[Collection(PaperModelsCollection.Name)]
public sealed class PaperArchitectureTests(PaperModelsFixture models)
{
    public static TheoryData<string, int, long> KeyCountsAndParameterCounts => new()
    {
        { "alexnet", 16, 61_100_840 },
        { "vgg19_bn", 118, 143_678_248 },
        { "resnet152", 932, 60_192_808 },
        { "googlenet", 344, 6_624_904 },
    };

    public static TheoryData<string, string, long[]> KeyShapes => new()
    {
        { "alexnet", "features.0.weight", [64, 3, 11, 11] },
        { "alexnet", "features.10.weight", [256, 256, 3, 3] },
        { "alexnet", "classifier.1.weight", [4096, 9216] },
        { "alexnet", "classifier.6.weight", [1000, 4096] },
        { "vgg19_bn", "features.0.weight", [64, 3, 3, 3] },
        { "vgg19_bn", "features.1.num_batches_tracked", [] },
        { "vgg19_bn", "features.49.weight", [512, 512, 3, 3] },
        { "vgg19_bn", "features.50.running_var", [512] },
        { "vgg19_bn", "classifier.0.weight", [4096, 25088] },
        { "vgg19_bn", "classifier.6.bias", [1000] },
        { "resnet152", "conv1.weight", [64, 3, 7, 7] },
        { "resnet152", "layer1.0.downsample.1.running_var", [256] },
        { "resnet152", "layer3.35.conv2.weight", [256, 256, 3, 3] },
        { "resnet152", "layer4.2.conv3.weight", [2048, 512, 1, 1] },
        { "resnet152", "layer4.2.bn3.weight", [2048] },
        { "resnet152", "fc.weight", [1000, 2048] },
        { "googlenet", "conv1.conv.weight", [64, 3, 7, 7] },
        { "googlenet", "inception3a.branch3.1.conv.weight", [32, 16, 3, 3] },
        { "googlenet", "inception5b.branch4.1.conv.weight", [128, 832, 1, 1] },
        { "googlenet", "inception5b.branch4.1.bn.running_mean", [128] },
        { "googlenet", "fc.weight", [1000, 1024] },
    };

    [Theory]
    [MemberData(nameof(KeyCountsAndParameterCounts))]
    public void StateDict_OfPaperModel_HasTorchvisionsKeyAndParameterCounts(string name, int keys, long parameters)
    {
        BackdoorModel model = models[name];

        model.Module.state_dict().Should().HaveCount(keys);
        model.TotalParameterCount.Should().Be(parameters);
    }

    [Theory]
    [MemberData(nameof(KeyShapes))]
    public void StateDict_OfPaperModel_HasTorchvisionsKeyWithShape(string name, string key, long[] shape)
    {
        Dictionary<string, torch.Tensor> stateDict = models[name].Module.state_dict();

        stateDict.Should().ContainKey(key);
        stateDict[key].shape.Should().Equal(shape);
    }

    [Theory]
    [InlineData("alexnet", 16)]
    [InlineData("vgg19_bn", 70)]
    [InlineData("resnet152", 467)]
    [InlineData("googlenet", 173)]
    public void ParameterTensorCount_OfPaperModel_MatchesTheBuiltModule(string name, int tensors)
    {
        BackdoorModel model = models[name];

        model.Architecture.ParameterTensorCount.Should().Be(tensors);
        model.Module.parameters().Should().HaveCount(tensors);
    }

    [Fact]
    public void StateDict_OfGoogLeNet_HasNoAuxiliaryHeads() =>
        models.GoogLeNet.Module.state_dict().Keys.Should().NotContain(key => key.StartsWith("aux", StringComparison.Ordinal));

    [Fact]
    public void StateDict_OfVgg_HasNoParametersAtTheGradCamReLU() =>
        models.Vgg19Bn.Module.state_dict().Keys.Should().NotContain(key => key.StartsWith("features.51.", StringComparison.Ordinal));

    [Theory]
    [InlineData("alexnet", "features.11")]
    [InlineData("vgg19_bn", "features.51")]
    [InlineData("resnet152", "layer4")]
    [InlineData("googlenet", "inception5b")]
    public void GradCamLayerName_OfPaperModel_IsAModuleOfTheModel(string name, string layer)
    {
        BackdoorModel model = models[name];

        model.Architecture.GradCamLayerName.Should().Be(layer);
        model.Module.named_modules().Select(m => m.name).Should().Contain(layer);
    }

    [Fact]
    public void Forward_OfGoogLeNet_ReturnsTheMainLogitsOnly()
    {
        using var scope = torch.NewDisposeScope();
        models.GoogLeNet.SetTrainingMode(false);

        torch.Tensor logits = models.GoogLeNet.Forward(torch.rand(1, 3, 32, 32));

        logits.shape.Should().Equal(1, 1000);
    }
}
