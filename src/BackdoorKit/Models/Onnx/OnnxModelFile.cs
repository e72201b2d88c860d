using System.Runtime.InteropServices;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Models.Onnx;

/// <summary>
/// An ONNX model read with the classes generated from the ONNX project's <c>onnx.proto3</c>: its graph, its nodes by
/// the tensors they consume and produce, and its initializers (weights) by name as float32 tensors.
/// </summary>
internal sealed class OnnxModelFile
{
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly Dictionary<string, List<NodeProto>> consumers;
    private readonly Dictionary<string, NodeProto> producers;

    private OnnxModelFile(string path, ModelProto model)
    {
        Path = path;
        Model = model;
        initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        consumers = [];
        producers = [];
        foreach (NodeProto node in model.Graph.Node)
        {
            foreach (string input in node.Input)
            {
                if (!consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }

            foreach (string output in node.Output)
            {
                producers[output] = node;
            }
        }
    }

    /// <summary>Gets the file's path.</summary>
    public string Path { get; }

    /// <summary>Gets the parsed model.</summary>
    public ModelProto Model { get; }

    /// <summary>Gets the graph.</summary>
    public GraphProto Graph => Model.Graph;

    /// <summary>Gets the names of the graph inputs that are not initializers (the data inputs).</summary>
    public IReadOnlyList<string> DataInputs => [.. Graph.Input.Select(i => i.Name).Where(name => !initializers.ContainsKey(name))];

    /// <summary>Reads and parses an ONNX file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelWeightsException">The file cannot be read or is not an ONNX model with a graph.</exception>
    public static OnnxModelFile Read(string path)
    {
        ModelProto model;
        try
        {
            using FileStream stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            throw new ModelWeightsException($"'{path}' cannot be read as an ONNX model: {e.Message}", path, innerException: e);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new ModelWeightsException($"'{path}' is not an ONNX model: it has no graph nodes.", path);
        }

        return new OnnxModelFile(path, model);
    }

    /// <summary>Lists the nodes that take a tensor as input, in graph order.</summary>
    /// <param name="tensorName">The tensor.</param>
    /// <returns>The consuming nodes (empty when none).</returns>
    public IReadOnlyList<NodeProto> ConsumersOf(string tensorName) =>
        consumers.TryGetValue(tensorName, out List<NodeProto>? list) ? list : [];

    /// <summary>Finds the node that produces a tensor.</summary>
    /// <param name="tensorName">The tensor.</param>
    /// <returns>The node, or null for graph inputs and initializers.</returns>
    public NodeProto? ProducerOf(string tensorName) => producers.GetValueOrDefault(tensorName);

    /// <summary>Tells whether a name is an initializer.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether the graph has an initializer of that name.</returns>
    public bool IsInitializer(string name) => initializers.ContainsKey(name);

    /// <summary>Returns an initializer's shape.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <returns>Its dimensions.</returns>
    /// <exception cref="ModelWeightsException">No initializer has that name.</exception>
    public long[] ShapeOf(string name) => [.. Initializer(name).Dims];

    /// <summary>Reads a float initializer as a new CPU tensor (from <c>float_data</c> or little-endian <c>raw_data</c>).</summary>
    /// <param name="name">The initializer's name.</param>
    /// <returns>A new float32 tensor of the initializer's shape; the caller owns it.</returns>
    /// <exception cref="ModelWeightsException">No such initializer, it is not float32, or its data does not fit its shape.</exception>
    public Tensor ReadFloat(string name)
    {
        TensorProto proto = Initializer(name);
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new ModelWeightsException(
                $"'{Path}': initializer '{name}' has ONNX data type {(TensorProto.Types.DataType)proto.DataType}, expected Float.", Path);
        }

        long count = proto.Dims.Aggregate(1L, (a, b) => a * b);
        float[] values = proto.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
            : [.. proto.FloatData];
        if (values.LongLength != count)
        {
            throw new ModelWeightsException(
                $"'{Path}': initializer '{name}' holds {values.LongLength} values, its shape [{string.Join(",", proto.Dims)}] needs {count}.", Path);
        }

        return tensor(values, [.. proto.Dims], ScalarType.Float32);
    }

    private TensorProto Initializer(string name) => initializers.TryGetValue(name, out TensorProto? proto)
        ? proto
        : throw new ModelWeightsException($"'{Path}' has no initializer named '{name}'.", Path);
}
