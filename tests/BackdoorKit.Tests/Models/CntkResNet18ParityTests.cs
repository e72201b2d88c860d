using BackdoorKit.Data;
using BackdoorKit.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Xunit.Abstractions;

namespace BackdoorKit.Tests.Models;

/// <summary>
/// resnet18-imagenet-cntk against ONNX Runtime running the package's own files: the preprocessing graph, then
/// ResNet18.onnx, on the same images; our model without its head at 224 px (global pooling = the file's 7x7 pool).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CntkResNet18ParityTests(CntkResNet18Fixture fixture, ITestOutputHelper output) : IClassFixture<CntkResNet18Fixture>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Preprocessing_EqualsThePackagesPreprocessingGraph()
    {
        MeanImageNormalization normalization = KnownModels.ResNet18ImageNetCntk.GetInputNormalization()!;
        using var scope = torch.NewDisposeScope();

        float[] ours = normalization.Apply(fixture.Images).data<float>().ToArray();
        float[] reference = RunEach(DnnImageFeaturizerPackage.Preprocess.Locate(), "OriginalInput", fixture.Images);

        double difference = MaxAbsoluteDifference(ours, reference);
        output.WriteLine($"preprocessing: max |ours - ONNX Runtime| = {difference:E2} over {ours.Length} values");
        difference.Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void Features_At224_MatchOnnxRuntimeOnTheFilesWithinOneTenThousandth()
    {
        MeanImageNormalization normalization = KnownModels.ResNet18ImageNetCntk.GetInputNormalization()!;
        var module = (CntkResNet18)fixture.Model.Module;
        using var scope = torch.NewDisposeScope();
        float[] ours;
        using (torch.no_grad())
        {
            ours = module.Features(normalization.Apply(fixture.Images)).data<float>().ToArray();
        }

        torch.Tensor preprocessed = torch.tensor(
            RunEach(DnnImageFeaturizerPackage.Preprocess.Locate(), "OriginalInput", fixture.Images), fixture.Images.shape);
        float[] reference = RunEach(DnnImageFeaturizerPackage.ResNet18.Locate(), "Input247", preprocessed);

        ours.Should().HaveCount(8 * CntkResNet18.FeatureSize);
        double difference = MaxAbsoluteDifference(ours, reference);
        output.WriteLine(
            $"features: max |ours - ONNX Runtime| = {difference:E2}; largest feature {reference.Max(Math.Abs):F3}; {ours.Length} values");
        reference.Max(Math.Abs).Should().BeGreaterThan(0.1f, "the features must not be trivially zero");
        difference.Should().BeLessThanOrEqualTo(Tolerance);
    }

    /// <summary>Runs a graph with batch size 1 on each image and concatenates the first output.</summary>
    private static float[] RunEach(string path, string inputName, torch.Tensor images)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        List<float> values = [];
        for (long n = 0; n < images.shape[0]; n++)
        {
            float[] image = images[n].contiguous().data<float>().ToArray();
            var input = new DenseTensor<float>(image, [1, 3, (int)images.shape[2], (int)images.shape[3]]);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
                session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
            values.AddRange(results.First().AsEnumerable<float>());
        }

        return [.. values];
    }

    private static double MaxAbsoluteDifference(float[] a, float[] b)
    {
        a.Should().HaveSameCount(b);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }
}
