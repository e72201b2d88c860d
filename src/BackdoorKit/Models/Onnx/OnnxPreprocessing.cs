using BackdoorKit.Data;
using static TorchSharp.torch;

namespace BackdoorKit.Models.Onnx;

/// <summary>Reads the preprocessing graphs that ship next to ONNX image models.</summary>
public static class OnnxPreprocessing
{
    /// <summary>
    /// Reads a preprocessing graph of the form <c>Split</c> (channels) → <c>Concat</c> (same or reversed order) →
    /// <c>Sub</c> (an initializer <c>[1, 3, H, W]</c>).
    /// </summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="source">What to record as the source; the file name when null.</param>
    /// <returns>The normalization.</returns>
    /// <exception cref="ModelWeightsException">The file cannot be read or is not such a graph.</exception>
    public static MeanImageNormalization ReadMeanImage(string path, string? source = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OnnxModelFile file = OnnxModelFile.Read(path);
        List<NodeProto> nodes = [.. file.Graph.Node];
        ModelWeightsException Unexpected(string detail) => new(
            $"'{path}' is not a channel-swap and mean-image preprocessing graph: {detail}.", path);
        if (nodes.Count != 3 || nodes[0].OpType != "Split" || nodes[1].OpType != "Concat" || nodes[2].OpType != "Sub")
        {
            throw Unexpected($"nodes are {string.Join(", ", nodes.Select(n => n.OpType))}, expected Split, Concat, Sub");
        }

        (NodeProto split, NodeProto concat, NodeProto sub) = (nodes[0], nodes[1], nodes[2]);
        if (split.Output.Count != 3 || new[] { split, concat }.Any(n => n.Attribute.FirstOrDefault(a => a.Name == "axis")?.I != 1))
        {
            throw Unexpected("the Split or Concat does not work on three channels along axis 1");
        }

        bool reversed = concat.Input.SequenceEqual(split.Output.Reverse());
        if (!reversed && !concat.Input.SequenceEqual(split.Output))
        {
            throw Unexpected($"the Concat takes the channels in the order {string.Join(", ", concat.Input)}");
        }

        string? mean = sub.Input.Count == 2 && sub.Input[0] == concat.Output[0] && file.IsInitializer(sub.Input[1]) ? sub.Input[1] : null;
        long[] shape = mean is null ? [] : file.ShapeOf(mean);
        if (mean is null || shape.Length != 4 || shape[0] != 1 || shape[1] != 3)
        {
            throw Unexpected("the Sub does not subtract a [1, 3, H, W] initializer from the reordered image");
        }

        using Tensor values = file.ReadFloat(mean);
        return new MeanImageNormalization(
            source ?? Path.GetFileName(path), reversed, (int)shape[2], (int)shape[3], values.data<float>().ToArray());
    }
}
