using System.Security.Cryptography;
using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;
using BackdoorKit.Models.Onnx;
using BackdoorKit.Tests.Data.Fixtures;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

/// <summary>resnet18-imagenet-cntk: its weights source, layout, freeze strategies, input sizes and training.</summary>
[Trait("Category", "Integration")]
public sealed class CntkResNet18Tests(CntkResNet18Fixture fixture) : IClassFixture<CntkResNet18Fixture>
{
    private static readonly IModelFactory Architecture = KnownModels.ResNet18ImageNetCntk;

    [Fact]
    public void Create_WithPackagedWeights_RecordsThePackageIdVersionAndTheFilesSha256()
    {
        string path = DnnImageFeaturizerPackage.ResNet18.Locate();
        string sha256;
        using (FileStream stream = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        fixture.Model.WeightsSource.Should().Be(
            $"nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/{DnnImageFeaturizerPackage.Version}/ResNet18.onnx#sha256:{sha256[..12]}");
        DnnImageFeaturizerPackage.Version.Should().Be("0.23.1");
    }

    [Fact]
    public void Layout_IsTwoTwoTwoThreeBlocksWithTheFilesParametersAndATorchvisionStyleNaming()
    {
        BackdoorModel model = fixture.Model;
        List<string> names = [.. model.Module.named_parameters().Select(p => p.name)];

        names.Should().HaveCount(Architecture.ParameterTensorCount).And.HaveCount(68);
        names.Take(3).Should().Equal("conv1.weight", "bn1.weight", "bn1.bias");
        names.TakeLast(2).Should().Equal("fc.weight", "fc.bias");
        names.Should().Contain(["layer4.2.conv2.weight", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.bias"])
            .And.NotContain(n => n.StartsWith("layer4.3.", StringComparison.Ordinal) || n.StartsWith("layer1.0.downsample", StringComparison.Ordinal));
        int[] blocks = [.. Enumerable.Range(1, 4).Select(stage =>
            names.Where(n => n.StartsWith($"layer{stage}.", StringComparison.Ordinal)).Select(n => n.Split('.')[1]).Distinct().Count())];
        blocks.Should().Equal(2, 2, 2, 3);
        model.Module.named_modules().Select(m => m.name).Should().Contain(Architecture.GradCamLayerName);

        // Every scalar of the file is in the model: conv weights and BatchNorm scale/bias as parameters, BatchNorm
        // mean/variance as buffers; the head comes on top.
        var file = OnnxModelFile.Read(DnnImageFeaturizerPackage.ResNet18.Locate());
        long inFile = file.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        long buffers = model.Module.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)
            || b.name.EndsWith("running_var", StringComparison.Ordinal)).Sum(b => b.buffer.numel());
        inFile.Should().Be(15_908_800);
        (model.TotalParameterCount - ((512 * 10) + 10) + buffers).Should().Be(inFile);
    }

    [Theory]
    [InlineData("paper-text", 46, 16_778L, true)]
    [InlineData("seed-code", 40, 14_986L, false)]
    [InlineData("linear-probe", 2, 5_130L, false)]
    [InlineData("full", 68, 15_902_282L, true)]
    public void FreezeStrategy_SelectsTheExpectedSet(string strategy, int trainable, long scalars, bool projectionNormTrains)
    {
        using BackdoorModel model = Architecture.Create(10, ModelWeights.Random, new ModelOptions { FreezeStrategy = ComponentCatalog.Default.FreezeStrategies.Get(strategy) });

        IReadOnlyList<string> names = model.TrainableParameterNames;

        names.Should().HaveCount(trainable).And.Contain(["fc.weight", "fc.bias"]);
        model.TrainableParameterCount.Should().Be(scalars);
        names.Contains("layer3.0.downsample.1.weight").Should().Be(projectionNormTrains);
        if (strategy is "paper-text" or "seed-code" or "linear-probe")
        {
            names.Should().NotContain(n => n.Contains("conv", StringComparison.Ordinal) || n.EndsWith("downsample.0.weight", StringComparison.Ordinal));
        }

        model.FreezeStrategy.KeepsBatchNormInEvalMode.Should().Be(strategy == "linear-probe");
    }

    [Fact]
    public void FreezeFirst_FreezesLeadingTensorsInParameterOrderUpToAll()
    {
        using BackdoorModel model = Architecture.Create(10, ModelWeights.Random, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.FreezeFirst(3) });

        model.TrainableParameterNames.Should().HaveCount(65).And.NotContain(["conv1.weight", "bn1.weight", "bn1.bias"]).And.Contain("layer1.0.conv1.weight");
        model.ApplyFreezeStrategy(KnownFreezeStrategies.FreezeFirst(68));
        model.TrainableParameterNames.Should().BeEmpty();
        FluentActions.Invoking(() => model.ApplyFreezeStrategy(KnownFreezeStrategies.FreezeFirst(69)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*68 parameter tensors*");
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(131)]
    public void Forward_AtSidesOf32kTo32kPlus3_ReturnsLogits(int side)
    {
        using BackdoorModel model = Architecture.Create(3, ModelWeights.Random);
        using var scope = torch.NewDisposeScope();

        model.Forward(torch.rand(2, 3, side, side)).shape.Should().Equal(2, 3);
    }

    [Fact]
    public void Forward_AtASideTheOnnxLayoutCannotTake_ThrowsNamingTheRule()
    {
        using BackdoorModel model = Architecture.Create(3, ModelWeights.Random);
        using var input = torch.rand(1, 3, 80, 80);

        FluentActions.Invoking(() => model.Forward(input)).Should().Throw<ArgumentException>().WithMessage("*32k to 32k + 3*[1, 3, 80, 80]*");
    }

    [Fact]
    public void Create_FromAnOnnxFileOfAnotherLayout_FailsNamingTheFile()
    {
        string other = DnnImageFeaturizerPackage.Preprocess.Locate();

        FluentActions.Invoking(() => Architecture.Create(3, ModelWeights.FromFile(other)))
            .Should().Throw<ModelWeightsException>().WithMessage("*ResNetPreprocess.onnx*not the ResNet-18 layout*");
    }

    [Fact]
    public void Create_WithAnotherExpectedSha256_FailsNamingBothHashes()
    {
        ModelWeights weights = ModelWeights.Packaged with { ExpectedSha256 = new string('0', 64) };

        FluentActions.Invoking(() => Architecture.Create(3, weights))
            .Should().Throw<ModelWeightsException>().WithMessage($"*ResNet18.onnx*SHA-256*expected {new string('0', 64)}*");
    }

    [Fact]
    public void Create_FromADirectoryWithoutTheFile_UsesThePackagedFileAndRecordsIt()
    {
        using var empty = new TempDirectory();

        using BackdoorModel model = Architecture.Create(3, ModelWeights.FromDirectory(empty.Path));

        model.WeightsSource.Should().StartWith("nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/");
    }

    [Fact]
    public void Train_AFewStepsOnTinyData_ReducesTheLoss()
    {
        using BackdoorModel model = Architecture.Create(2, ModelWeights.Packaged, new ModelOptions { FreezeStrategy = KnownFreezeStrategies.PaperText });
        torch.manual_seed(5);
        using var scope = torch.NewDisposeScope();
        torch.Tensor images = torch.cat([torch.rand(4, 3, 64, 64).mul(40f).sub(20f), torch.rand(4, 3, 64, 64).mul(40f).add(60f)]);
        torch.Tensor labels = torch.tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 });
        using var optimizer = torch.optim.SGD(model.GetTrainableParameters(), 0.01, momentum: 0.9);
        model.SetTrainingMode(true);
        List<float> losses = [];
        for (int step = 0; step < 6; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            torch.Tensor loss = torch.nn.functional.cross_entropy(model.Forward(images), labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        losses.Should().OnlyContain(l => float.IsFinite(l));
        losses[^1].Should().BeLessThan(losses[0] * 0.5f, $"the losses were {string.Join(", ", losses)}");
    }
}
