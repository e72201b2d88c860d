using System.Text;
using TorchSharp.Modules;

namespace BackdoorKit.Models.Onnx;

/// <summary>
/// Steps through an ONNX graph from tensor to consuming node and checks node attributes against the module that is
/// meant to reproduce them; every failure is a <see cref="ModelWeightsException"/> naming the file and the node.
/// </summary>
/// <param name="file">The ONNX model.</param>
internal sealed class GraphWalk(OnnxModelFile file)
{
    /// <summary>The tolerance for float attributes such as the BatchNorm epsilon, which ONNX stores as float32.</summary>
    private const double FloatTolerance = 1e-9;

    /// <summary>Finds the single node of a type that reads a tensor.</summary>
    /// <param name="tensorName">The tensor.</param>
    /// <param name="opType">The node type, e.g. <c>Conv</c>.</param>
    /// <param name="what">What the node is, for the message.</param>
    /// <returns>The node.</returns>
    public NodeProto Only(string tensorName, string opType, string what)
    {
        List<NodeProto> found = [.. file.ConsumersOf(tensorName).Where(n => n.OpType == opType)];
        return found.Count == 1
            ? found[0]
            : throw Mismatch($"{what}: expected one {opType} reading '{tensorName}', found {found.Count}");
    }

    /// <summary>Finds the single node of a type that reads a node's first output.</summary>
    /// <param name="node">The node.</param>
    /// <param name="opType">The node type that must follow.</param>
    /// <returns>The following node.</returns>
    public NodeProto Next(NodeProto node, string opType) => Only(node.Output[0], opType, $"after {node.OpType} '{node.Name}'");

    /// <summary>Reads an integer-list attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute.</param>
    /// <returns>Its values, or an empty list when the node does not have it.</returns>
    public IReadOnlyList<long> Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? [.. attribute.Ints] : [];

    /// <summary>Requires an integer-list attribute to have given values.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute.</param>
    /// <param name="expected">The values the architecture uses.</param>
    public void CheckInts(NodeProto node, string name, IReadOnlyList<long> expected)
    {
        IReadOnlyList<long> actual = Ints(node, name);
        if (!actual.SequenceEqual(expected))
        {
            throw Mismatch($"{node.OpType} '{node.Name}' has {name} [{string.Join(",", actual)}], the architecture [{string.Join(",", expected)}]");
        }
    }

    /// <summary>
    /// Requires a convolution node to be what a module computes: no bias, the module's kernel, the given stride and
    /// ONNX pads, dilation 1, one group, explicit padding.
    /// </summary>
    /// <param name="node">The Conv node.</param>
    /// <param name="module">The module that reproduces it (padding applied separately).</param>
    /// <param name="stride">The stride, both directions.</param>
    /// <param name="onnxPads">The pads <c>[top, left, bottom, right]</c> the architecture applies.</param>
    public void CheckConv(NodeProto node, Conv2d module, long stride, IReadOnlyList<long> onnxPads)
    {
        if (node.Input.Count != 2 || module.bias is not null)
        {
            throw Mismatch($"Conv '{node.Name}' has {node.Input.Count - 2} bias input(s); the architecture's convolutions have none");
        }

        long[] weight = file.ShapeOf(node.Input[1]);
        CheckInts(node, "kernel_shape", weight[2..]);
        CheckInts(node, "strides", [stride, stride]);
        CheckInts(node, "pads", onnxPads);
        if (Ints(node, "dilations").Any(d => d != 1) || node.Attribute.Any(a => a.Name == "group" && a.I != 1))
        {
            throw Mismatch($"Conv '{node.Name}' is dilated or grouped; the architecture's convolutions are not");
        }

        CheckExplicitPadding(node);
        if (!weight.SequenceEqual(module.weight!.shape))
        {
            throw Mismatch($"Conv '{node.Name}' has weights [{string.Join(",", weight)}], the module [{string.Join(",", module.weight!.shape)}]");
        }
    }

    /// <summary>Requires a BatchNormalization node to use the architecture's epsilon and per-channel (spatial) statistics.</summary>
    /// <param name="node">The node.</param>
    public void CheckNorm(NodeProto node)
    {
        AttributeProto? epsilon = node.Attribute.FirstOrDefault(a => a.Name == "epsilon");
        double value = epsilon?.F ?? 1e-5f;
        if (Math.Abs(value - CntkResNet18.BatchNormEpsilon) > FloatTolerance || node.Input.Count != 5
            || node.Attribute.Any(a => a.Name == "spatial" && a.I != 1))
        {
            throw Mismatch(
                $"BatchNormalization '{node.Name}' has epsilon {value} and {node.Input.Count} inputs; the architecture uses {CntkResNet18.BatchNormEpsilon}, per channel, 5 inputs");
        }
    }

    /// <summary>Builds the exception for a graph that is not the expected architecture.</summary>
    /// <param name="detail">What differs.</param>
    /// <returns>The exception, to throw.</returns>
    public ModelWeightsException Mismatch(string detail) => new(
        $"'{file.Path}' is not the ResNet-18 layout resnet18-imagenet-cntk expects: {detail}.", file.Path);

    private void CheckExplicitPadding(NodeProto node)
    {
        string autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad") is { } a ? Encoding.UTF8.GetString(a.S.Span) : string.Empty;
        if (autoPad is not ("" or "NOTSET"))
        {
            throw Mismatch($"Conv '{node.Name}' uses auto_pad {autoPad}; the architecture pads explicitly");
        }
    }
}
