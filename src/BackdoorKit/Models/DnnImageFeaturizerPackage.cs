using System.Reflection;

namespace BackdoorKit.Models;

/// <summary>
/// The NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> (MIT), whose ImageNet ResNet-18 ONNX file and
/// preprocessing graph <c>resnet18-imagenet-cntk</c> uses. Its version is the one this assembly was built against
/// (<c>DnnImageFeaturizerResNet18Version</c> in Directory.Packages.props, stamped into the assembly's metadata).
/// </summary>
internal static class DnnImageFeaturizerPackage
{
    /// <summary>The package id.</summary>
    internal const string Id = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>Gets the package version this assembly expects.</summary>
    internal static string Version { get; } = typeof(DnnImageFeaturizerPackage).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DnnImageFeaturizerResNet18Version").Value!;

    /// <summary>Gets the ResNet-18 graph and weights (input <c>Input247</c>, output <c>Pooling395_Output_0</c>).</summary>
    internal static NuGetPackageFile ResNet18 { get; } = File("ResNet18Onnx/ResNet18.onnx");

    /// <summary>Gets the preprocessing graph (input <c>OriginalInput</c>, RGB to BGR, minus <c>MeanImage</c>).</summary>
    internal static NuGetPackageFile Preprocess { get; } = File("ResNetPrepOnnx/ResNetPreprocess.onnx");

    private static NuGetPackageFile File(string path) =>
        new(Id, Version, "tools/DnnImageModels/" + path, "DnnImageModels/" + path);
}
