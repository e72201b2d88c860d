using BackdoorKit.Data;
using BackdoorKit.Models;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Explainability;

/// <summary>
/// A small CNN whose weights are set by hand so that its decision depends only on an 8 x 8 white patch at
/// <see cref="Patch"/> of a 32 px image, like a backdoor trigger: channel 0 of every stage passes on the summed
/// (normalized) colour through its centre tap, which ReLU zeroes everywhere but on white pixels, and the head adds
/// channel 0 of the four pooled cells under the patch to class 1's logit (class 0's logit is 0, class 1's bias -0.5).
/// </summary>
public sealed class PatchModelFixture : IDisposable
{
    public const int Side = 32;

    /// <summary>Gets where the decisive patch is: x, y, width, height (aligned to small-cnn's stride of 4).</summary>
    public static readonly (int X, int Y, int Width, int Height) Patch = (20, 4, 8, 8);

    public PatchModelFixture()
    {
        TorchRuntime.EnsureInitialized();
        Transform = new ModelInputTransform(Side, KnownNormalizations.ImageNet);
        Model = KnownModels.SmallCnn.Create(2, ModelWeights.Random);
        Model.SetTrainingMode(false);
        Dictionary<string, Tensor> parameters = Model.Module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using (no_grad())
        {
            foreach ((string name, Tensor parameter) in parameters)
            {
                if (name.EndsWith("conv.weight", StringComparison.Ordinal) || name.StartsWith("fc.", StringComparison.Ordinal))
                {
                    parameter.zero_();
                }
            }

            for (int channel = 0; channel < 3; channel++)
            {
                parameters["layer1.conv.weight"][0, channel, 1, 1] = 1f;
            }

            parameters["layer2.conv.weight"][0, 0, 1, 1] = 1f;
            parameters["layer3.conv.weight"][0, 0, 1, 1] = 1f;

            // layer3 is 8 x 8 at stride 4 (patch: rows 1-2, columns 5-6); the head pools it to 4 x 4 (rows 0-1, columns 2-3).
            foreach ((int row, int column) in new[] { (0, 2), (0, 3), (1, 2), (1, 3) })
            {
                parameters["fc.weight"][1, (row * 4) + column] = 1f;
            }

            parameters["fc.bias"][1] = -0.5f;
        }

        using ImageDataset test = CreateDataset(16, seed: 11);
        using Tensor inputs = Transform.Apply(test.Images);
        using Tensor logits = Model.Forward(inputs);
        using Tensor predictions = logits.argmax(1);
        using Tensor correct = predictions.eq(test.Labels).sum();
        Accuracy = correct.item<long>() / 16.0;
    }

    public ModelInputTransform Transform { get; }

    public BackdoorModel Model { get; }

    /// <summary>Gets the accuracy on fresh images: 1 when the weights encode the patch rule.</summary>
    public double Accuracy { get; }

    /// <summary>Makes noise images (uint8 [N, 3, 32, 32], values 0-89): even rows carry the patch (label 1), odd rows none (label 0).</summary>
    public static ImageDataset CreateDataset(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using Tensor values = randint(0, 90, [count, 3, Side, Side], generator: generator, dtype: ScalarType.Int64);
        Tensor images = values.to_type(ScalarType.Byte);
        var labels = new long[count];
        for (int i = 0; i < count; i += 2)
        {
            labels[i] = 1;
            using Tensor sample = images.select(0, i);
            using Tensor rows = sample.narrow(1, Patch.Y, Patch.Height);
            using Tensor square = rows.narrow(2, Patch.X, Patch.Width);
            square.fill_(255);
        }

        return new ImageDataset("patch", images, tensor(labels), ["no-patch", "patch"]);
    }

    /// <summary>Makes normalized model input for the first <paramref name="count"/> samples of a fresh dataset (even rows carry the patch).</summary>
    public Tensor Inputs(int count, int seed = 13)
    {
        using ImageDataset data = CreateDataset(count, seed);
        return Transform.Apply(data.Images);
    }

    public void Dispose() => Model.Dispose();
}
