using BackdoorKit.Models;
using BackdoorKit.Runtime;
using BackdoorKit.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torchvision;

namespace BackdoorKit.Tests.Models;

/// <summary>AlexNet with the small-batch classifier computes what torchvision's AlexNet computes, logits and gradients.</summary>
[Trait("Category", "Integration")]
[Collection(GlobalTorchStateCollection.Name)]
public class SkinnyClassifierNetworkTests
{
    [Fact]
    public void AlexNet_GivesTorchvisionsLogitsAndClassifierGradients_AtBatchFour()
    {
        TorchRuntime.EnsureInitialized();
        torch.manual_seed(11);
        using nn.Module<Tensor, Tensor> original = models.alexnet(num_classes: 10);
        torch.manual_seed(11);
        using SkinnyClassifierNetwork skinny = SkinnyClassifierNetwork.From(models.alexnet(num_classes: 10));
        original.eval();
        skinny.eval();
        using var scope = NewDisposeScope();
        Tensor images = randn([4, 3, 64, 64], generator: new Generator(2));

        Tensor expected = original.call(images);
        Tensor actual = skinny.call(images);
        nn.functional.cross_entropy(expected, arange(4)).backward();
        nn.functional.cross_entropy(actual, arange(4)).backward();

        skinny.state_dict().Keys.Should().Equal(original.state_dict().Keys);
        actual.allclose(expected, rtol: 1e-4, atol: 1e-5).Should().BeTrue();
        foreach (string name in new[] { "classifier.1.weight", "classifier.4.weight", "classifier.6.weight", "classifier.6.bias", "features.10.weight" })
        {
            Tensor a = skinny.get_parameter(name)!.grad!, e = original.get_parameter(name)!.grad!;
            a.allclose(e, rtol: 1e-3, atol: 1e-6).Should().BeTrue(name);
        }
    }
}
