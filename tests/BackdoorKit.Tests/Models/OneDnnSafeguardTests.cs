using BackdoorKit.Runtime;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

[Trait("Category", "Integration")]
public sealed class OneDnnSafeguardTests
{
    /// <summary>
    /// ResNet-50's bottlenecks run 1x1 convolution backward, which kills the process with SIGFPE on virtual machines
    /// that hide CPU cache information unless the runtime's oneDNN safeguard is in place.
    /// </summary>
    [Fact]
    public void Backward_ThroughResNet50Bottlenecks_AfterEnsureInitialized_ProducesFiniteGradients()
    {
        TorchRuntime.EnsureInitialized();
        torch.manual_seed(1);
        using var model = torchvision.models.resnet50(num_classes: 10);
        using var scope = torch.NewDisposeScope();

        torch.Tensor loss = model.call(torch.rand(2, 3, 32, 32)).square().mean();
        loss.backward();

        torch.Tensor? grad = model.named_parameters().Single(p => p.name == "layer1.0.conv1.weight").parameter.grad;
        grad.Should().NotBeNull();
        grad!.isfinite().all().item<bool>().Should().BeTrue();
        grad.abs().sum().item<float>().Should().BeGreaterThan(0);
    }
}
