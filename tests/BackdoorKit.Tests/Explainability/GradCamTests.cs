using System.Collections;
using System.Reflection;
using BackdoorKit.Explainability;
using BackdoorKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Explainability;

public class GradCamTests(PatchModelFixture fixture) : IClassFixture<PatchModelFixture>
{
    private const int Stride = 4;

    [Fact]
    public void Compute_PatchClass_PeaksOnTheDecisivePatch()
    {
        fixture.Accuracy.Should().Be(1, "the fixture's weights encode the patch rule");
        using Tensor inputs = fixture.Inputs(8);
        var cam = new GradCam(fixture.Model);

        using Tensor maps = cam.Compute(inputs, 1);

        (int x, int y, int w, int h) = PatchModelFixture.Patch;
        for (int i = 0; i < 8; i += 2)
        {
            (int row, int column) = Peak(maps[i]);
            row.Should().BeInRange(y - Stride, y + h - 1 + Stride, $"sample {i}'s peak row lies on the patch (rows {y}..{y + h - 1})");
            column.Should().BeInRange(x - Stride, x + w - 1 + Stride, $"sample {i}'s peak column lies on the patch (columns {x}..{x + w - 1})");
        }
    }

    [Fact]
    public void Compute_Batch_GivesOneMapPerSampleInZeroToOne()
    {
        using Tensor inputs = fixture.Inputs(5);
        var cam = new GradCam(fixture.Model);

        using Tensor maps = cam.Compute(inputs, [1, 0, 1, 0, 1]);

        maps.shape.Should().Equal(5, PatchModelFixture.Side, PatchModelFixture.Side);
        maps.dtype.Should().Be(ScalarType.Float32);
        maps.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
        maps.max().item<float>().Should().BeLessThanOrEqualTo(1f);
        using Tensor peaks = maps.amax([1, 2]);
        peaks[0].item<float>().Should().BeApproximately(1f, 1e-5f, "a non-zero map is scaled to a peak of 1");
        peaks[1].item<float>().Should().Be(0f, "no evidence for class 0 anywhere: the map stays zero");
        peaks[3].item<float>().Should().Be(0f);
    }

    [Fact]
    public void Compute_EachSampleGetsItsOwnMap_SameAsComputedAlone()
    {
        using Tensor inputs = fixture.Inputs(3);
        var cam = new GradCam(fixture.Model);

        using Tensor batch = cam.Compute(inputs, [1, 0, 1]);
        using Tensor second = inputs.narrow(0, 1, 1);
        using Tensor alone = cam.Compute(second, 0);

        batch[1].allclose(alone[0], rtol: 1e-4, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Compute_LeavesParameterGradientsFlagsModeAndHooksAsTheyWere()
    {
        BackdoorModel model = fixture.Model;
        Parameter[] parameters = [.. model.Module.parameters()];
        bool[] flags = [.. parameters.Select((_, i) => i % 3 != 0)];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].requires_grad = flags[i];
        }

        using var scope = NewDisposeScope();
        parameters[1].grad = full_like(parameters[1], 0.25f);
        Tensor?[] before = [.. parameters.Select(p => p.grad?.clone())];
        model.SetTrainingMode(true);
        try
        {
            using Tensor maps = new GradCam(model).Compute(fixture.Inputs(4), 1);

            parameters.Select(p => p.requires_grad).Should().Equal(flags);
            for (int i = 0; i < parameters.Length; i++)
            {
                Tensor? after = parameters[i].grad;
                (after is null).Should().Be(before[i] is null, $"parameter {i}'s gradient stays {(before[i] is null ? "unset" : "set")}");
                if (after is not null)
                {
                    after.allclose(before[i]!, rtol: 0, atol: 0).Should().BeTrue($"parameter {i}'s gradient is unchanged");
                }
            }

            model.Module.training.Should().BeFalse("Grad-CAM runs and leaves the model in evaluation mode");
            model.Module.modules().OfType<nn.Module<Tensor, Tensor>>().Sum(ForwardHookCount).Should().Be(0, "the hook is removed");
        }
        finally
        {
            parameters[1].grad = null;
            foreach (Parameter parameter in parameters)
            {
                parameter.requires_grad = true;
            }

            model.SetTrainingMode(false);
        }
    }

    [Fact]
    public void Compute_FreshModel_LeavesEveryGradientUnset()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(3, ModelWeights.Random);
        using Tensor inputs = randn(2, 3, 20, 20);

        using Tensor maps = new GradCam(model).Compute(inputs, [2, 0]);

        maps.shape.Should().Equal(2, 20, 20);
        model.Module.parameters().Select(p => p.grad is null).Should().OnlyContain(unset => unset);
        model.Module.parameters().Should().OnlyContain(p => p.requires_grad);
    }

    [Fact]
    public void Compute_FrozenModel_StillHasAGradientThroughTheInput()
    {
        using BackdoorModel model = KnownModels.SmallCnn.Create(2, ModelWeights.Random);
        foreach (Parameter parameter in model.Module.parameters())
        {
            parameter.requires_grad = false;
        }

        using Tensor inputs = randn(1, 3, 16, 16);
        using Tensor maps = new GradCam(model).Compute(inputs, 1);

        maps.shape.Should().Equal(1, 16, 16);
        model.Module.parameters().Should().OnlyContain(p => !p.requires_grad);
    }

    [Fact]
    public void Compute_FreesEveryIntermediateTensor()
    {
        using Tensor inputs = fixture.Inputs(2);
        var cam = new GradCam(fixture.Model);
        cam.Compute(inputs, 1).Dispose();
        long before = LiveTensors();

        for (int i = 0; i < 3; i++)
        {
            cam.Compute(inputs, [1, 0]).Dispose();
        }

        LiveTensors().Should().Be(before);
    }

    [Fact]
    public void Constructor_UnknownLayer_NamesItAndListsTheLayers()
    {
        Action act = () => _ = new GradCam(fixture.Model, new GradCamOptions { LayerName = "layer9" });

        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("'layer9'").And.Contain("small-cnn").And.Contain("layer3").And.Contain("layer1.conv").And.Contain("fc");
    }

    [Fact]
    public void Compute_LayerWithoutSpatialOutput_Throws()
    {
        using Tensor inputs = fixture.Inputs(1);
        var cam = new GradCam(fixture.Model, new GradCamOptions { LayerName = "fc" });

        Action act = () => cam.Compute(inputs, 1).Dispose();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'fc'*[1, 2]*");
        fixture.Model.Module.parameters().Should().OnlyContain(p => p.requires_grad, "flags are restored after a failure too");
    }

    [Fact]
    public void Compute_ChosenLayer_IsUsed()
    {
        var cam = new GradCam(fixture.Model, new GradCamOptions { LayerName = "layer2" });
        using Tensor inputs = fixture.Inputs(2);

        using Tensor maps = cam.Compute(inputs, 1);

        cam.LayerName.Should().Be("layer2");
        maps.shape.Should().Equal(2, PatchModelFixture.Side, PatchModelFixture.Side);
    }

    [Fact]
    public void Compute_BadTargets_Throw()
    {
        using Tensor inputs = fixture.Inputs(2);
        var cam = new GradCam(fixture.Model);

        ((Action)(() => cam.Compute(inputs, [1]))).Should().Throw<ArgumentException>().WithMessage("*one class per sample (2)*");
        ((Action)(() => cam.Compute(inputs, [1, 2]))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*got 2*");
        using Tensor gray = zeros(1, 1, 32, 32);
        ((Action)(() => cam.Compute(gray, 0))).Should().Throw<ArgumentException>().WithMessage("*[B, 3, H, W]*");
    }

    [Fact]
    public void LayerActivations_Capture_ReturnsTheLayerOutput()
    {
        using Tensor inputs = fixture.Inputs(3);

        using Tensor features = LayerActivations.Capture(fixture.Model, inputs);

        features.shape.Should().Equal(3, 64, PatchModelFixture.Side / Stride, PatchModelFixture.Side / Stride);
        features.requires_grad.Should().BeFalse();
        features.min().item<float>().Should().BeGreaterThanOrEqualTo(0f, "layer3 ends with a ReLU");
    }

    /// <summary>Counts this thread's live tensors, inside dispose scopes and outside (created there or detached).</summary>
    private static long LiveTensors()
    {
        var statistics = DisposeScopeManager.Statistics;
        return statistics.ThreadTotalLiveCount + statistics.CreatedOutsideScopeCount + statistics.DetachedFromScopeCount - statistics.DisposedOutsideScopeCount;
    }

    private static (int Row, int Column) Peak(Tensor map)
    {
        using var scope = NewDisposeScope();
        long index = map.flatten().argmax().item<long>();
        int width = (int)map.shape[1];
        return ((int)(index / width), (int)(index % width));
    }

    private static int ForwardHookCount(nn.Module<Tensor, Tensor> module)
    {
        for (Type? type = module.GetType(); type is not null; type = type.BaseType)
        {
            FieldInfo? field = type.GetField("post_hooks", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (field is not null)
            {
                return ((ICollection)field.GetValue(module)!).Count;
            }
        }

        throw new InvalidOperationException("TorchSharp's hook table was not found.");
    }
}
