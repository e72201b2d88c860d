using BackdoorKit.Models;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

/// <summary>Runs alone: tests running in parallel draw from the same global generator outside the seeding lock.</summary>
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed class SeededCreationTests
{
    [Fact]
    public void Create_WithASeed_GivesTheSameInitialValues_WhateverTheGlobalGeneratorHeld()
    {
        var options = new ModelOptions { Seed = 11 };
        using BackdoorModel first = KnownModels.SmallCnn.Create(3, ModelWeights.Random, options);
        using (torch.rand(1000))
        {
        }

        using BackdoorModel second = KnownModels.SmallCnn.Create(3, ModelWeights.Random, options);
        using BackdoorModel other = KnownModels.SmallCnn.Create(3, ModelWeights.Random, options with { Seed = 12 });

        foreach ((string name, torch.Tensor value) in first.Module.state_dict())
        {
            second.Module.state_dict()[name].Equals(value).Should().BeTrue(name);
        }

        other.Module.state_dict()["layer1.conv.weight"].Equals(first.Module.state_dict()["layer1.conv.weight"]).Should().BeFalse("another seed draws other values");
    }
}
