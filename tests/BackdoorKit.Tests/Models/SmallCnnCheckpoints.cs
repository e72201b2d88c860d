using System.Security.Cryptography;
using BackdoorKit.Models;
using TorchSharp;
using TorchSharp.PyBridge;

namespace BackdoorKit.Tests.Models;

/// <summary>Small-CNN checkpoints written in PyTorch's zip format or as safetensors, whole or with a modified state dict.</summary>
internal static class SmallCnnCheckpoints
{
    /// <summary>A small CNN whose BatchNorm statistics moved away from their defaults, so they prove loading too.</summary>
    public static BackdoorModel Trained(int classes)
    {
        BackdoorModel model = KnownModels.SmallCnn.Create(classes, ModelWeights.Random);
        using var scope = torch.NewDisposeScope();
        model.SetTrainingMode(true);
        torch.manual_seed(3);
        model.Forward(torch.rand(4, 3, 16, 16) + 1);
        return model;
    }

    /// <summary>The file's SHA-256, lower-case hexadecimal.</summary>
    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Writes a trained 3-class small CNN's state dict after <paramref name="modify"/> into a new file in <paramref name="directory"/>.</summary>
    /// <param name="directory">Where to write.</param>
    /// <param name="modify">Changes the state dict (a copy) before it is written.</param>
    /// <param name="safetensors">Safetensors instead of PyTorch's zip format.</param>
    /// <returns>The file's path.</returns>
    public static string WriteModified(string directory, Action<Dictionary<string, torch.Tensor>> modify, bool safetensors = false)
    {
        using BackdoorModel source = Trained(classes: 3);
        using var scope = torch.NewDisposeScope();
        Dictionary<string, torch.Tensor> state = source.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        modify(state);
        string path = Path.Combine(directory, $"modified-{Guid.NewGuid():N}{(safetensors ? ".safetensors" : ".pth")}");
        if (safetensors)
        {
            using FileStream stream = File.Create(path);
            Safetensors.SaveStateDict(stream, state);
        }
        else
        {
            PyTorchPickler.PickleStateDict(path, state);
        }

        return path;
    }
}
