using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Data;

/// <summary>
/// The input normalization of weights converted from CNTK/Caffe-style pipelines: pixels stay in 0 to 255, the channels
/// are optionally reversed (RGB to BGR), and a per-pixel mean image is subtracted; no scaling. Read from a preprocessing
/// ONNX graph (<c>Models.Onnx.OnnxPreprocessing.ReadMeanImage</c>), such as <c>ResNetPreprocess.onnx</c> of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>.
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

    internal MeanImageNormalization(string source, bool reversesChannels, int height, int width, float[] meanImage)
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
