using BackdoorKit.Models;

namespace BackdoorKit.Tests.Models;

/// <summary>Builds the paper's four architectures once for the test run, with torchvision's 1000-class head.</summary>
public sealed class PaperModelsFixture : IDisposable
{
    public PaperModelsFixture()
    {
        AlexNet = KnownModels.AlexNet.Create(1000, ModelWeights.Random);
        Vgg19Bn = KnownModels.Vgg19Bn.Create(1000, ModelWeights.Random);
        ResNet152 = KnownModels.ResNet152.Create(1000, ModelWeights.Random);
        GoogLeNet = KnownModels.GoogLeNet.Create(1000, ModelWeights.Random);
    }

    public BackdoorModel AlexNet { get; }

    public BackdoorModel Vgg19Bn { get; }

    public BackdoorModel ResNet152 { get; }

    public BackdoorModel GoogLeNet { get; }

    public BackdoorModel this[string name] => name switch
    {
        "alexnet" => AlexNet,
        "vgg19_bn" => Vgg19Bn,
        "resnet152" => ResNet152,
        "googlenet" => GoogLeNet,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a paper model"),
    };

    public void Dispose()
    {
        AlexNet.Dispose();
        Vgg19Bn.Dispose();
        ResNet152.Dispose();
        GoogLeNet.Dispose();
    }
}
