using BackdoorKit.Models;
using BackdoorKit.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Data;

/// <summary>
/// The input normalization of weights converted from CNTK/Caffe-style pipelines: pixels stay in 0 to 255, the channels
/// are optionally reversed (RGB to BGR), and a per-pixel mean image is subtracted; no scaling. Read from a preprocessing
/// ONNX graph (<see cref="FromOnnx"/>), such as <c>ResNetPreprocess.onnx</c> of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>.
/// </summary>
/// <remarks>
/// At the mean image's own size (224 x 224 for that file) every pixel gets its own mean, exactly as the graph computes.
/// Other input sizes subtract the per-channel means of the mean image (<see cref="ChannelMeans"/>): the graph itself
/// only takes 224 x 224 inputs, and the mean image is smooth, so its channel means are the size-independent part of it.
/// </remarks>
public sealed class MeanImageNormalization
{
    private readonly float[] meanImage;
    private readonly float[] channelMeans;

    private MeanImageNormalization(string source, bool reversesChannels, int height, int width, float[] meanImage)
    {
        Source = source;
        ReversesChannels = reversesChannels;
        Height = height;
        Width = width;
        this.meanImage = meanImage;
        int plane = height * width;
        channelMeans = [.. Enumerable.Range(0, 3).Select(c => (float)meanImage.AsSpan(c * plane, plane).ToArray().Average(v => (double)v))];
    }

    /// <summary>Gets where the normalization was read from (a file name or package description).</summary>
    public string Source { get; }

    /// <summary>Gets whether the channels are reversed (RGB to BGR) before the mean is subtracted.</summary>
    public bool ReversesChannels { get; }

    /// <summary>Gets the mean image's height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the mean image's width in pixels.</summary>
    public int Width { get; }

    /// <summary>
    /// Gets the mean image's per-channel means, in the model's channel order (B, G, R when <see cref="ReversesChannels"/>),
    /// on the 0 to 255 scale; subtracted from inputs of other sizes. The array is a copy.
    /// </summary>
    public float[] ChannelMeans => (float[])channelMeans.Clone();

    /// <summary>
    /// Reads a preprocessing graph of the form <c>Split</c> (channels) → <c>Concat</c> (same or reversed order) →
    /// <c>Sub</c> (an initializer <c>[1, 3, H, W]</c>).
    /// </summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="source">What to record as the source; the file name when null.</param>
    /// <returns>The normalization.</returns>
    /// <exception cref="ModelWeightsException">The file cannot be read or is not such a graph.</exception>
    public static MeanImageNormalization FromOnnx(string path, string? source = null)
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

    /// <summary>Normalizes resized images: reverse the channels if the graph does, then subtract the mean.</summary>
    /// <param name="resized">A floating-point batch <c>[N, 3, H, W]</c> in 0 to 255 (RGB).</param>
    /// <returns>A new <c>float32</c> tensor of the same shape on the same device.</returns>
    public Tensor Apply(Tensor resized)
    {
        ArgumentNullException.ThrowIfNull(resized);
        using DisposeScope scope = NewDisposeScope();
        Tensor x = resized.to_type(ScalarType.Float32);
        if (ReversesChannels)
        {
            x = x.flip(1);
        }

        Tensor mean = resized.shape[2] == Height && resized.shape[3] == Width
            ? tensor(meanImage, [1, 3, Height, Width], ScalarType.Float32, resized.device)
            : tensor(channelMeans, [1, 3, 1, 1], ScalarType.Float32, resized.device);
        return x.sub(mean).MoveToOuterDisposeScope();
    }
}
