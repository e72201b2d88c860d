using BackdoorKit.Models;
using BackdoorKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Models;

/// <summary>
/// Trainable convolutions on small maps run as one batched product when oneDNN is capped at AVX or off: there the native
/// backward computes the weight gradient with one rank-1-to-16 GEMM per sample (about 20 times slower than the product on
/// ResNet-18's last stage at 32 px).
/// </summary>
public sealed class SmallMapConvolutionTests
{
    /// <summary>Initializes a new instance of the <see cref="SmallMapConvolutionTests"/> class.</summary>
    /// <remarks>
    /// The oneDNN safeguard must be in place before the first convolution of the process: uncapped, oneDNN's JIT
    /// backward-data kernels return wrong input gradients on machines that hide their CPU caches.
    /// </remarks>
    public SmallMapConvolutionTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData("avx-cap", DeviceType.CPU, true, 1L, true)]
    [InlineData("avx-cap", DeviceType.CPU, true, 4L, true)]
    [InlineData("disabled", DeviceType.CPU, true, 16L, true)]
    [InlineData("avx-cap", DeviceType.CPU, true, 25L, false)]
    [InlineData("avx-cap", DeviceType.CPU, false, 1L, false)]
    [InlineData("default", DeviceType.CPU, true, 1L, false)]
    [InlineData(null, DeviceType.CPU, true, 1L, false)]
    [InlineData("avx-cap", DeviceType.CUDA, true, 1L, false)]
    public void Applies_OnlyToTrainableCpuConvolutionsOnSmallMapsWhenOneDnnIsCappedOrOff(
        string? oneDnn, DeviceType device, bool trains, long outputPixels, bool expected) =>
        SmallMapConvolution.Applies(oneDnn, device, trains, outputPixels).Should().Be(expected);

    [Theory]
    [InlineData(1, 3, 1, 1)] // layer4 at 32 px: a 3x3 convolution on a 1x1 map
    [InlineData(2, 3, 1, 1)] // layer4 at 64 px
    [InlineData(3, 3, 2, 0)] // a stride-2 block's first convolution on its padded input
    [InlineData(2, 1, 2, 0)] // a projection
    [InlineData(5, 3, 1, 1)]
    public void Forward_MatchesTheNativeConvolutionAndItsGradients(int side, int kernel, int stride, int padding)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor input = randn([6, 8, side, side], generator: generator).requires_grad_(true);
        Tensor weight = randn([5, 8, kernel, kernel], generator: generator).requires_grad_(true);
        Tensor nativeInput = input.detach().clone().requires_grad_(true);
        Tensor nativeWeight = weight.detach().clone().requires_grad_(true);

        Tensor batched = SmallMapConvolution.Forward(input, weight, stride, padding);
        Tensor native = nn.functional.conv2d(nativeInput, nativeWeight, strides: [stride, stride], padding: [padding, padding]);
        Tensor upstream = randn(native.shape, generator: generator);
        batched.backward([upstream]);
        native.backward([upstream]);

        batched.shape.Should().Equal(native.shape);
        MaxDifference(batched, native).Should().BeLessThan(1e-4);
        MaxDifference(weight.grad!, nativeWeight.grad!).Should().BeLessThan(1e-4);
        MaxDifference(input.grad!, nativeInput.grad!).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void CntkBasicBlock_OnAOnePixelMap_GivesTheNativeConvolutionsOutputAndGradients()
    {
        manual_seed(3);
        using var block = new CntkBasicBlock(16, 32, 2);
        block.train();
        using var scope = NewDisposeScope();
        Tensor input = rand(4, 16, 2, 2);
        (Tensor Weight, string Name)[] convolutions = [.. block.named_parameters().Where(p => p.name.Contains("conv", StringComparison.Ordinal)
            || p.name == "downsample.0.weight").Select(p => ((Tensor)p.parameter, p.name))];

        Tensor output = block.call(input);
        output.square().sum().backward();
        Dictionary<string, Tensor> grads = convolutions.ToDictionary(c => c.Name, c => c.Weight.grad!.clone());

        // The same block computed with native convolutions (the module's path before small-map products existed).
        using var reference = new CntkBasicBlock(16, 32, 2);
        reference.load_state_dict(block.state_dict());
        reference.train();
        (Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, BatchNorm2d bn2) = reference.Main;
        (Conv2d projection, BatchNorm2d projectionNorm) = reference.Projection!.Value;
        Tensor main = bn2.call(conv2.call(nn.functional.relu(bn1.call(conv1.call(CntkResNet18.Pad(input, CntkResNet18.DownsamplingPads, 0.0))))));
        Tensor expected = nn.functional.relu(main + projectionNorm.call(projection.call(input)));
        expected.square().sum().backward();

        (output - expected).abs().max().item<float>().Should().BeLessThan(1e-5f);
        foreach ((string name, Tensor parameter) in reference.named_parameters().Where(p => grads.ContainsKey(p.name)).Select(p => (p.name, (Tensor)p.parameter)))
        {
            // BatchNorm over four one-pixel samples amplifies rounding (up to 1e-5 of the gradient measured): compare relative to its size.
            MaxDifference(grads[name], parameter.grad!).Should().BeLessThan(1e-4 * (1 + parameter.grad!.abs().max().item<float>()), name);
        }
    }

    private static double MaxDifference(Tensor actual, Tensor expected) => (actual - expected).abs().max().item<float>();
}
