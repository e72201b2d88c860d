using BackdoorKit.Models;
using TorchSharp;
using TorchSharp.PyBridge;

namespace BackdoorKit.Tests.Models;

/// <summary>Checkpoints written here in PyTorch's zip format and as safetensors, then loaded through the factories.</summary>
public sealed class CheckpointLoadingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("backdoorkit-weights-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Create_FromPyTorchFileWithAnotherHeadSize_LoadsEveryBodyTensorExactly()
    {
        using BackdoorModel source = SmallCnnCheckpoints.Trained(classes: 7);
        string path = Path.Combine(directory, "small-cnn-7.pth");
        source.Module.save_py(path);

        using BackdoorModel loaded = KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path));

        Dictionary<string, torch.Tensor> expected = source.Module.state_dict();
        Dictionary<string, torch.Tensor> actual = loaded.Module.state_dict();
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (string key in expected.Keys.Where(k => !k.StartsWith("fc.", StringComparison.Ordinal)))
        {
            actual[key].Equals(expected[key]).Should().BeTrue(key);
        }

        actual["fc.weight"].shape.Should().Equal(3, 64 * 4 * 4);
        loaded.WeightsSource.Should().Be($"file:small-cnn-7.pth#sha256:{SmallCnnCheckpoints.Sha256(path)[..12]}");
    }

    [Fact]
    public void Create_TwiceFromAnUnchangedFile_ReadsItOnce_AndGivesTheSameWeights()
    {
        string path = Path.Combine(directory, "resnet18-copy.safetensors");
        using (BackdoorModel source = KnownModels.ResNet18.Create(1000, ModelWeights.Random))
        {
            source.Module.save_safetensors(path);
        }

        var logger = new ListLogger();
        using BackdoorModel first = KnownModels.ResNet18.Create(10, ModelWeights.FromFile(path), logger: logger);
        using BackdoorModel second = KnownModels.ResNet18.Create(10, ModelWeights.FromFile(path), logger: logger);

        logger.Entries.Select(e => e.Message).Should().SatisfyRespectively(
            m => m.Should().Contain("loaded").And.Contain("resnet18-copy.safetensors"),
            m => m.Should().Contain("copied").And.Contain("resnet18-copy.safetensors"));
        second.WeightsSource.Should().Be(first.WeightsSource);
        foreach ((string key, torch.Tensor tensor) in first.Module.state_dict().Where(p => !p.Key.StartsWith("fc.", StringComparison.Ordinal)))
        {
            second.Module.state_dict()[key].Equals(tensor).Should().BeTrue(key);
        }
    }

    [Fact]
    public void Create_FromSafetensorsWithHead_RoundTripsEveryTensor()
    {
        using BackdoorModel source = SmallCnnCheckpoints.Trained(classes: 7);
        string path = Path.Combine(directory, "model.safetensors");
        source.Module.save_safetensors(path);

        using BackdoorModel loaded = KnownModels.SmallCnn.Create(7, ModelWeights.FromFile(path) with { IncludeHead = true });

        foreach ((string key, torch.Tensor tensor) in source.Module.state_dict())
        {
            loaded.Module.state_dict()[key].Equals(tensor).Should().BeTrue(key);
        }
    }

    [Fact]
    public void Create_FromFileWithAMisShapedTensor_ThrowsNamingTheKeyAndBothShapes()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state["layer2.conv.weight"] = torch.zeros(8, 16, 3, 3));

        Action act = () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>()
            .WithMessage("*1 mis-shaped key(s): layer2.conv.weight*[8,16,3,3] in the file, [32,16,3,3] in the model*")
            .Which.MismatchedKeys.Should().Equal("layer2.conv.weight");
    }

    [Fact]
    public void Create_FromFileMissingATensor_ThrowsNamingTheKey()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state.Remove("layer3.bn.running_var"));

        Action act = () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path));

        ModelWeightsException error = act.Should().Throw<ModelWeightsException>()
            .WithMessage($"*'{path}'*1 missing key(s): layer3.bn.running_var*").Which;
        error.MissingKeys.Should().Equal("layer3.bn.running_var");
        error.Path.Should().Be(path);
    }

    [Fact]
    public void Create_FromFileWithAnExtraTensor_ThrowsNamingTheKey()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state["layer4.conv.weight"] = torch.zeros(2, 2));

        Action act = () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>().WithMessage("*1 unexpected key(s): layer4.conv.weight*")
            .Which.UnexpectedKeys.Should().Equal("layer4.conv.weight");
    }

    [Fact]
    public void Create_FromAnotherArchitecturesFile_ThrowsCountingTheMissingKeys()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, _ => { });

        Action act = () => KnownModels.ResNet18.Create(3, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>().WithMessage("*120 missing key(s): *, ...*")
            .Which.MissingKeys.Should().HaveCount(120);
    }

    [Fact]
    [Trait("Category", "Integration")] // builds GoogLeNet with its 1000-class head
    public void Create_FromGoogLeNetCheckpointWithAuxiliaryHeads_SkipsThemAndLoadsTheBody()
    {
        Dictionary<string, torch.Tensor> state;
        using (BackdoorModel source = KnownModels.GoogLeNet.Create(1000, ModelWeights.Random))
        {
            state = source.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        }

        state["aux1.conv.conv.weight"] = torch.zeros(128, 512, 1, 1);
        state["aux2.fc2.weight"] = torch.zeros(1000, 1024);
        string path = Path.Combine(directory, "googlenet-1378be20.pth");
        PyTorchPickler.PickleStateDict(path, state);

        using BackdoorModel loaded = KnownModels.GoogLeNet.Create(10, ModelWeights.FromDirectory(directory));

        loaded.Module.state_dict()["inception5b.branch4.1.conv.weight"].Equals(state["inception5b.branch4.1.conv.weight"]).Should().BeTrue();
        loaded.WeightsSource.Should().StartWith("file:googlenet-1378be20.pth#sha256:");
        foreach (torch.Tensor tensor in state.Values)
        {
            tensor.Dispose();
        }
    }

    [Fact]
    public void Create_FromDirectory_FindsNameDotSafetensors()
    {
        using BackdoorModel source = SmallCnnCheckpoints.Trained(classes: 2);
        source.Module.save_safetensors(Path.Combine(directory, "small-cnn.safetensors"));

        using BackdoorModel loaded = KnownModels.SmallCnn.Create(2, ModelWeights.FromDirectory(directory));

        loaded.WeightsSource.Should().StartWith("file:small-cnn.safetensors#");
    }

    [Fact]
    public void Create_FromDirectoryWithoutTheFile_ThrowsListingTheNamesLookedFor()
    {
        Action act = () => KnownModels.ResNet152.Create(10, ModelWeights.FromDirectory(directory));

        act.Should().Throw<ModelWeightsException>()
            .WithMessage("*resnet152-394f9c45.pth, resnet152-f82ba261.pth, resnet152.safetensors*docs/weights.md*");
    }

    [Fact]
    public void Create_WithTheRightSha256_Loads()
    {
        using BackdoorModel source = SmallCnnCheckpoints.Trained(classes: 2);
        string path = Path.Combine(directory, "ok.safetensors");
        source.Module.save_safetensors(path);

        using BackdoorModel loaded = KnownModels.SmallCnn.Create(2, ModelWeights.FromFile(path) with { ExpectedSha256 = SmallCnnCheckpoints.Sha256(path).ToUpperInvariant() });

        loaded.WeightsSource.Should().EndWith(SmallCnnCheckpoints.Sha256(path)[..12]);
    }

    [Fact]
    public void Create_WithAnotherSha256_ThrowsNamingFileExpectedAndActual()
    {
        using BackdoorModel source = SmallCnnCheckpoints.Trained(classes: 2);
        string path = Path.Combine(directory, "tampered.safetensors");
        source.Module.save_safetensors(path);
        string expected = new('0', 64);

        Action act = () => KnownModels.SmallCnn.Create(2, ModelWeights.FromFile(path) with { ExpectedSha256 = expected });

        act.Should().Throw<ModelWeightsException>().WithMessage($"*'{path}'*{SmallCnnCheckpoints.Sha256(path)}*{expected}*");
    }

    [Fact]
    [Trait("Category", "Integration")] // builds VGG-19-BN before it reads the file
    public void Create_FromLegacyPickleCheckpoint_ThrowsPointingToTheConversionDoc()
    {
        // A pre-zip torch.save file starts with a pickle protocol-2 header and the legacy magic number.
        string path = Path.Combine(directory, "vgg19_bn-c79401a0.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);

        Action act = () => KnownModels.Vgg19Bn.Create(10, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>().WithMessage("*legacy*safetensors*docs/weights.md*");
    }

    [Fact]
    public void Create_FromAFileOfAnotherKind_ThrowsNamingTheAcceptedFormats()
    {
        string path = Path.Combine(directory, "notes.txt");
        File.WriteAllText(path, "not a checkpoint");

        Action act = () => KnownModels.SmallCnn.Create(2, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>().WithMessage("*neither a PyTorch zip checkpoint nor a safetensors file*");
    }

    [Fact]
    public void Create_FromAMissingFile_ThrowsNamingIt()
    {
        string path = Path.Combine(directory, "absent.pth");

        Action act = () => KnownModels.SmallCnn.Create(2, ModelWeights.FromFile(path));

        act.Should().Throw<ModelWeightsException>().WithMessage($"*'{path}'*does not exist*");
    }
}
