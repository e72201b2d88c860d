using BackdoorKit.Models.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// Loads the ImageNet ResNet-18 ONNX file (<c>ResNet18.onnx</c> of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>)
/// into a <see cref="CntkResNet18"/>. It follows the graph from its input, node by node (stem, max pool, each block's
/// convolutions, BatchNorms, projection and sum, the final average pool), checks every attribute against the module that
/// reproduces it (kernel, stride, pads, dilation, group, BatchNorm epsilon, weight shapes), and copies the initializers it
/// finds by name: convolution weights, and BatchNorm scale, bias, mean and variance. A file of another layout fails with
/// a message naming the first node that differs.
/// </summary>
internal static class CntkResNetOnnxLoader
{
    /// <summary>Loads the weights.</summary>
    /// <param name="model">The freshly built model.</param>
    /// <param name="path">The ONNX file.</param>
    /// <param name="expectedSha256">The required SHA-256 (lower case), or null.</param>
    /// <returns>The file's SHA-256 and the number of tensors copied.</returns>
    /// <exception cref="ModelWeightsException">The file cannot be read, does not match the architecture, or holds non-finite values.</exception>
    internal static CheckpointLoader.Result Load(CntkResNet18 model, string path, string? expectedSha256)
    {
        string sha256 = CheckpointLoader.VerifiedSha256(path, expectedSha256);
        OnnxModelFile file = OnnxModelFile.Read(path);
        var walk = new GraphWalk(file);
        List<(string Name, NodeProto Conv, NodeProto Norm, Conv2d Module, BatchNorm2d ModuleNorm)> units = [];

        string x = file.DataInputs.Count == 1
            ? file.DataInputs[0]
            : throw walk.Mismatch($"the graph has {file.DataInputs.Count} data inputs, expected 1");
        (Conv2d stemConv, BatchNorm2d stemNorm) = model.Stem;
        NodeProto conv = walk.Only(x, "Conv", "stem");
        NodeProto norm = walk.Next(conv, "BatchNormalization");
        walk.CheckConv(conv, stemConv, 2, CntkResNet18.StemPads);
        units.Add(("conv1", conv, norm, stemConv, stemNorm));
        NodeProto pool = walk.Next(walk.Next(norm, "Relu"), "MaxPool");
        walk.CheckInts(pool, "kernel_shape", [3, 3]);
        walk.CheckInts(pool, "strides", [2, 2]);
        walk.CheckInts(pool, "pads", CntkResNet18.DownsamplingPads);
        x = pool.Output[0];

        foreach ((string name, CntkBasicBlock block) in model.Blocks)
        {
            List<NodeProto> convs = [.. file.ConsumersOf(x).Where(n => n.OpType == "Conv")];
            (Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, BatchNorm2d bn2) = block.Main;
            int expected = block.Projection is null ? 1 : 2;
            if (convs.Count != expected)
            {
                throw walk.Mismatch($"block {name} expects {expected} convolution(s) reading '{x}', the graph has {convs.Count}");
            }

            NodeProto main1 = convs.Single(n => walk.Ints(n, "kernel_shape").SequenceEqual([3L, 3L]));
            NodeProto mainNorm1 = walk.Next(main1, "BatchNormalization");
            walk.CheckConv(main1, conv1, block.Stride, block.Conv1Pads);
            units.Add(($"{name}.conv1", main1, mainNorm1, conv1, bn1));
            NodeProto main2 = walk.Next(walk.Next(mainNorm1, "Relu"), "Conv");
            NodeProto mainNorm2 = walk.Next(main2, "BatchNormalization");
            walk.CheckConv(main2, conv2, 1, CntkResNet18.SamePads);
            units.Add(($"{name}.conv2", main2, mainNorm2, conv2, bn2));

            string shortcut = x;
            if (block.Projection is (Conv2d projConv, BatchNorm2d projNorm))
            {
                NodeProto proj = convs.Single(n => n != main1);
                NodeProto projBn = walk.Next(proj, "BatchNormalization");
                walk.CheckConv(proj, projConv, block.Stride, [0, 0, 0, 0]);
                units.Add(($"{name}.downsample", proj, projBn, projConv, projNorm));
                shortcut = projBn.Output[0];
            }

            NodeProto sum = walk.Next(mainNorm2, "Add");
            if (!sum.Input.Contains(shortcut))
            {
                throw walk.Mismatch($"block {name}: '{sum.Name}' does not add the shortcut '{shortcut}'");
            }

            x = walk.Next(sum, "Relu").Output[0];
        }

        NodeProto average = walk.Next(file.ProducerOf(x)!, "AveragePool");
        if (!file.Graph.Output.Any(o => o.Name == average.Output[0]))
        {
            throw walk.Mismatch($"the average pool '{average.Name}' is not the graph's output");
        }

        int convCount = file.Graph.Node.Count(n => n.OpType == "Conv");
        if (convCount != units.Count)
        {
            throw walk.Mismatch($"the graph has {convCount} convolutions, the architecture {units.Count}");
        }

        return new CheckpointLoader.Result(sha256, Copy(file, walk, units), 0);
    }

    private static int Copy(OnnxModelFile file, GraphWalk walk, List<(string Name, NodeProto Conv, NodeProto Norm, Conv2d Module, BatchNorm2d ModuleNorm)> units)
    {
        int copied = 0;
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        foreach ((string name, NodeProto conv, NodeProto norm, Conv2d module, BatchNorm2d moduleNorm) in units)
        {
            walk.CheckNorm(norm);
            (string Onnx, Tensor Target)[] pairs =
            [
                (conv.Input[1], module.weight!),
                (norm.Input[1], moduleNorm.weight!),
                (norm.Input[2], moduleNorm.bias!),
                (norm.Input[3], moduleNorm.running_mean!),
                (norm.Input[4], moduleNorm.running_var!),
            ];
            foreach ((string onnx, Tensor target) in pairs)
            {
                Tensor source = file.ReadFloat(onnx);
                if (!source.shape.SequenceEqual(target.shape))
                {
                    throw walk.Mismatch(
                        $"{name}: initializer '{onnx}' is [{string.Join(",", source.shape)}], the module needs [{string.Join(",", target.shape)}]");
                }

                if (!source.isfinite().all().item<bool>())
                {
                    throw new ModelWeightsException($"Weights file '{file.Path}' holds NaN or infinite values in '{onnx}' ({name}).", file.Path);
                }

                target.copy_(source);
                copied++;
            }
        }

        return copied;
    }
}
