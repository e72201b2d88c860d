using BackdoorKit.Models;
using BackdoorKit.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Models;

/// <summary>
/// The small-batch linear kernels agree with LibTorch's linear layer in value and in every gradient, for batches that
/// fill several blocks or part of one and shapes with tails, and stand aside where they do not apply.
/// </summary>
public class SkinnyLinearTests
{
    public SkinnyLinearTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(1, 37, 1001)]
    [InlineData(4, 64, 256)]
    [InlineData(6, 33, 130)]
    [InlineData(9, 40, 77)]
    public void ForwardAndBackward_MatchLibTorchsLinear(int rows, int outputs, int inputs)
    {
        (Linear reference, SkinnyLinear skinny) = Pair(inputs, outputs);
        using var scope = NewDisposeScope();
        Tensor x = Input(rows, inputs);
        Tensor xReference = x.detach().clone().requires_grad_(true);
        Tensor xSkinny = x.detach().clone().requires_grad_(true);
        Tensor upstream = randn([rows, outputs], generator: new Generator(8));

        Tensor expected = reference.call(xReference);
        Tensor actual = skinny.call(xSkinny);
        expected.backward([upstream]);
        actual.backward([upstream]);

        skinny.Applies(xSkinny).Should().BeTrue();
        Close(actual, expected).Should().BeTrue("forward");
        Close(xSkinny.grad!, xReference.grad!).Should().BeTrue("input gradient");
        Close(skinny.Weight.grad!, reference.weight!.grad!).Should().BeTrue("weight gradient");
        Close(skinny.Bias!.grad!, reference.bias!.grad!).Should().BeTrue("bias gradient");
    }

    [Fact]
    public void Backward_Twice_AddsToTheExistingGradient_AndAfterClearingReusesItsBuffer()
    {
        (Linear reference, SkinnyLinear skinny) = Pair(300, 48);
        using var scope = NewDisposeScope();
        Tensor x = Input(4, 300);

        skinny.call(x).sum().backward();
        Tensor once = skinny.Weight.grad!.clone();
        skinny.call(x).sum().backward();
        Tensor twice = skinny.Weight.grad!.clone();
        IntPtr buffer = skinny.GradientBuffer!.Handle;
        skinny.Weight.grad = null;
        skinny.call(x).sum().backward();

        Close(twice, once.mul(2)).Should().BeTrue("a second backward pass accumulates, as autograd does");
        Close(skinny.Weight.grad!, once).Should().BeTrue("after set-to-none the gradient is written afresh");
        skinny.GradientBuffer!.Handle.Should().Be(buffer, "the layer keeps one gradient buffer across steps");
        _ = reference;
    }

    [Fact]
    public void FrozenWeight_GetsNoGradient_WhileTheInputAndBiasDo()
    {
        (_, SkinnyLinear skinny) = Pair(200, 24);
        skinny.Weight.requires_grad_(false);
        using var scope = NewDisposeScope();
        Tensor x = Input(3, 200).requires_grad_(true);

        skinny.call(x).sum().backward();

        skinny.Weight.grad.Should().BeNull();
        x.grad.Should().NotBeNull();
        skinny.Bias!.grad.Should().NotBeNull();
    }

    [Fact]
    public void LargeBatchesAndSmallWeights_TakeLibTorchsPath_BitForBit()
    {
        (Linear reference, SkinnyLinear skinny) = Pair(64, 16);
        var small = new SkinnyLinear(reference);
        using var scope = NewDisposeScope();
        Tensor many = Input(SkinnyLinear.MaxRows + 1, 64);
        Tensor few = Input(2, 64);

        skinny.Applies(many).Should().BeFalse();
        small.Applies(few).Should().BeFalse("the default threshold leaves a 1,024-element weight to LibTorch");
        skinny.call(many).allclose(reference.call(many), rtol: 0, atol: 0).Should().BeTrue();
        small.call(few).allclose(reference.call(few), rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void UnderNoGrad_ComputesTheForwardPassOnly()
    {
        (Linear reference, SkinnyLinear skinny) = Pair(150, 20);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Input(5, 150);

        Tensor y = skinny.call(x);

        y.requires_grad.Should().BeFalse();
        Close(y, reference.call(x)).Should().BeTrue();
    }

    /// <summary>A linear layer and a skinny layer with separate copies of the same parameters; the skinny one applies to any weight size.</summary>
    private static (Linear Reference, SkinnyLinear Skinny) Pair(int inputs, int outputs)
    {
        Linear reference = nn.Linear(inputs, outputs);
        Linear copy = nn.Linear(inputs, outputs);
        using (no_grad())
        {
            copy.weight!.copy_(reference.weight!);
            copy.bias!.copy_(reference.bias!);
        }

        return (reference, new SkinnyLinear(copy, minWeightElements: 0));
    }

    private static Tensor Input(int rows, int columns) => randn([rows, columns], generator: new Generator(5));

    /// <summary>Equal within float32 rounding of sums of a few hundred terms.</summary>
    private static bool Close(Tensor actual, Tensor expected) =>
        actual.shape.SequenceEqual(expected.shape) && actual.allclose(expected, rtol: 1e-4, atol: 1e-5);
}
