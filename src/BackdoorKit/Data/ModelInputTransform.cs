using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Data;

/// <summary>
/// Turns native image batches into model input: bilinear resize to <see cref="Size"/> x <see cref="Size"/>, then
/// normalization. The two steps are separate so a trigger can be drawn between them.
/// </summary>
/// <remarks>
/// Every step runs on the batch's own device. Resizing uses bilinear interpolation with <c>align_corners = false</c>,
/// antialiased when it shrinks an image. Under <see cref="ResizeRule.PublishedCode"/> the transform reproduces the
/// published code's TinyImageNet pipeline: evaluation images are resized so their shorter side is
/// <see cref="CenterCropResizeSide"/> (256 for 224) and center-cropped to <see cref="Size"/>; training images get
/// torchvision's random resized crop (area scale 0.08 to 1, aspect ratio 3/4 to 4/3, ten tries then a center crop)
/// and a horizontal flip with probability 0.5, drawn from the <see cref="Random"/> given. The draws follow
/// torchvision's algorithm but not its random number stream. Use <see cref="For"/> to apply the rule only where the
/// published code does (TinyImageNet).
/// </remarks>
public sealed class ModelInputTransform
{
    private const double MinCropScale = 0.08;
    private const double MaxCropScale = 1.0;
    private const double MinAspect = 3.0 / 4.0;
    private const double MaxAspect = 4.0 / 3.0;
    private const int CropTries = 10;

    /// <summary>Creates a transform.</summary>
    /// <param name="size">The side of the square model input in pixels; at least 1.</param>
    /// <param name="normalization">The per-channel statistics.</param>
    /// <param name="resizeRule">Direct resize, or the published code's crops.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 or the rule is unknown.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of a required parameter, so no call is ambiguous.")]
    public ModelInputTransform(int size, NormalizationStatistics normalization, ResizeRule resizeRule = ResizeRule.Direct)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "size must be at least 1 pixel.");
        }

        if (!Enum.IsDefined(resizeRule))
        {
            throw new ArgumentOutOfRangeException(
                nameof(resizeRule), resizeRule, $"resizeRule must be one of: {string.Join(", ", Enum.GetNames<ResizeRule>())}.");
        }

        Size = size;
        Normalization = normalization;
        ResizeRule = resizeRule;
        CenterCropResizeSide = (int)Math.Round(size * 256.0 / 224.0, MidpointRounding.AwayFromZero);
    }

    /// <summary>Creates a transform whose normalization is a channel reordering and mean-image subtraction.</summary>
    /// <param name="size">The side of the square model input in pixels; at least 1.</param>
    /// <param name="meanImage">The normalization, e.g. an architecture's <see cref="Models.IModelFactory.GetInputNormalization"/>.</param>
    /// <param name="resizeRule">Direct resize, or the published code's crops.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 or the rule is unknown.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of a required parameter, so no call is ambiguous.")]
    public ModelInputTransform(int size, MeanImageNormalization meanImage, ResizeRule resizeRule = ResizeRule.Direct)
        : this(size, KnownNormalizations.ImageNet, resizeRule)
    {
        ArgumentNullException.ThrowIfNull(meanImage);
        MeanImage = meanImage;
    }

    /// <summary>Gets the side of the square model input in pixels.</summary>
    public int Size { get; }

    /// <summary>Gets the normalization statistics; not used when <see cref="MeanImage"/> is set.</summary>
    public NormalizationStatistics Normalization { get; }

    /// <summary>Gets the mean-image normalization that replaces <see cref="Normalization"/>, or null.</summary>
    public MeanImageNormalization? MeanImage { get; }

    /// <summary>Gets the resize rule.</summary>
    public ResizeRule ResizeRule { get; }

    /// <summary>Gets the shorter side evaluation images are resized to before the center crop under
    /// <see cref="ResizeRule.PublishedCode"/>: <c>Size * 256 / 224</c>, i.e. 256 for 224.</summary>
    public int CenterCropResizeSide { get; }

    /// <summary>Builds the transform a protocol's rules give a dataset.</summary>
    /// <param name="dataset">The dataset (its name and model-input size).</param>
    /// <param name="resizeRule">The resize rule; <see cref="ResizeRule.PublishedCode"/> crops TinyImageNet only, as the
    /// published code does, and resizes other datasets directly.</param>
    /// <param name="normalizationRule">The normalization rule (see <see cref="KnownNormalizations.For"/>).</param>
    /// <param name="meanImage">The model's own input normalization, when it has one (an architecture's
    /// <c>IModelFactory.GetInputNormalization()</c>, e.g. <c>resnet18-imagenet-cntk</c>'s): it replaces the rule's
    /// statistics; null follows the rule.</param>
    /// <returns>The transform.</returns>
    public static ModelInputTransform For(
        DatasetDescriptor dataset, ResizeRule resizeRule, NormalizationRule normalizationRule, MeanImageNormalization? meanImage = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ResizeRule effective = resizeRule == ResizeRule.PublishedCode && dataset.Name == KnownDatasets.TinyImageNet.Name
            ? ResizeRule.PublishedCode
            : ResizeRule.Direct;
        return meanImage is not null
            ? new ModelInputTransform(dataset.InputSize, meanImage, effective)
            : new ModelInputTransform(dataset.InputSize, KnownNormalizations.For(dataset.Name, normalizationRule), effective);
    }

    /// <summary>Resizes a batch for evaluation (and for training under <see cref="ResizeRule.Direct"/>).</summary>
    /// <param name="batch">Images <c>[N, 3, H, W]</c>, <c>uint8</c> or floating point in 0 to 255, on any device.</param>
    /// <returns>A new <c>float32 [N, 3, Size, Size]</c> tensor in 0 to 255 on the batch's device.</returns>
    public Tensor Resize(Tensor batch)
    {
        using var scope = NewDisposeScope();
        Tensor x = ToFloat(batch);
        if (ResizeRule == ResizeRule.PublishedCode)
        {
            long height = x.shape[2], width = x.shape[3];
            (long h, long w) = height <= width
                ? ((long)CenterCropResizeSide, CenterCropResizeSide * width / height)
                : (CenterCropResizeSide * height / width, (long)CenterCropResizeSide);
            x = Interpolate(x, h, w);
            long top = (long)Math.Round((h - Size) / 2.0);
            long left = (long)Math.Round((w - Size) / 2.0);
            x = x.narrow(2, top, Size).narrow(3, left, Size);
        }
        else
        {
            x = Interpolate(x, Size, Size);
        }

        return x.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Resizes a batch for training: the random crop and flip under <see cref="ResizeRule.PublishedCode"/>,
    /// otherwise the same as <see cref="Resize"/>.</summary>
    /// <param name="batch">Images <c>[N, 3, H, W]</c>, <c>uint8</c> or floating point in 0 to 255, on any device.</param>
    /// <param name="random">The source of the crop and flip draws; the same seed gives the same output.</param>
    /// <returns>A new <c>float32 [N, 3, Size, Size]</c> tensor in 0 to 255 on the batch's device.</returns>
    public Tensor ResizeForTraining(Tensor batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (ResizeRule != ResizeRule.PublishedCode)
        {
            return Resize(batch);
        }

        using var scope = NewDisposeScope();
        Tensor x = ToFloat(batch);
        int height = (int)x.shape[2], width = (int)x.shape[3];
        var crops = new Tensor[x.shape[0]];
        for (int n = 0; n < crops.Length; n++)
        {
            (int top, int left, int h, int w) = RandomCrop(height, width, random);
            Tensor crop = Interpolate(x.narrow(0, n, 1).narrow(2, top, h).narrow(3, left, w), Size, Size);
            crops[n] = random.NextDouble() < 0.5 ? crop.flip(3) : crop;
        }

        Tensor result = crops.Length == 0 ? zeros([0, 3, Size, Size], ScalarType.Float32, x.device) : cat(crops, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Normalizes resized images: <c>(x / 255 - mean) / std</c> per channel, or <see cref="MeanImage"/>'s channel
    /// reordering and mean subtraction when it is set.
    /// </summary>
    /// <param name="resized">A floating-point batch <c>[N, 3, H, W]</c> in 0 to 255, such as <see cref="Resize"/> returns.</param>
    /// <returns>A new <c>float32</c> tensor of the same shape on the same device.</returns>
    public Tensor Normalize(Tensor resized)
    {
        ArgumentNullException.ThrowIfNull(resized);
        if (!resized.is_floating_point() || resized.dim() != 4 || resized.shape[1] != 3)
        {
            throw new ArgumentException(
                $"resized must be a floating-point tensor [N, 3, H, W] in 0 to 255; got {resized.dtype} [{string.Join(", ", resized.shape)}].",
                nameof(resized));
        }

        if (MeanImage is not null)
        {
            return MeanImage.Apply(resized);
        }

        using var scope = NewDisposeScope();
        Tensor mean = tensor([.. Normalization.Mean], [1, 3, 1, 1], ScalarType.Float32, resized.device);
        Tensor std = tensor([.. Normalization.Std], [1, 3, 1, 1], ScalarType.Float32, resized.device);
        return resized.to_type(ScalarType.Float32).div(255f).sub(mean).div(std).MoveToOuterDisposeScope();
    }

    /// <summary>Resizes and normalizes a batch for evaluation: <see cref="Normalize"/> of <see cref="Resize"/>.</summary>
    /// <param name="batch">Images <c>[N, 3, H, W]</c>, <c>uint8</c> or floating point in 0 to 255, on any device.</param>
    /// <returns>A new normalized <c>float32 [N, 3, Size, Size]</c> tensor on the batch's device.</returns>
    public Tensor Apply(Tensor batch)
    {
        using var scope = NewDisposeScope();
        return Normalize(Resize(batch)).MoveToOuterDisposeScope();
    }

    private static Tensor ToFloat(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4 || batch.shape[1] != 3 || !(batch.dtype == ScalarType.Byte || batch.is_floating_point()))
        {
            throw new ArgumentException(
                $"batch must be a uint8 or floating-point tensor [N, 3, H, W]; got {batch.dtype} [{string.Join(", ", batch.shape)}].",
                nameof(batch));
        }

        TorchRuntime.EnsureInitialized();
        return batch.to_type(ScalarType.Float32);
    }

    private static Tensor Interpolate(Tensor x, long height, long width)
    {
        bool shrinks = height < x.shape[2] || width < x.shape[3];
        return nn.functional.interpolate(
            x, [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: shrinks);
    }

    private static (int Top, int Left, int Height, int Width) RandomCrop(int height, int width, Random random)
    {
        double area = (double)height * width;
        double logMin = Math.Log(MinAspect), logMax = Math.Log(MaxAspect);
        for (int attempt = 0; attempt < CropTries; attempt++)
        {
            double targetArea = area * (MinCropScale + (random.NextDouble() * (MaxCropScale - MinCropScale)));
            double aspect = Math.Exp(logMin + (random.NextDouble() * (logMax - logMin)));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                return (random.Next(0, height - h + 1), random.Next(0, width - w + 1), h, w);
            }
        }

        double ratio = (double)width / height;
        (int ch, int cw) = ratio < MinAspect ? ((int)Math.Round(width / MinAspect), width)
            : ratio > MaxAspect ? (height, (int)Math.Round(height * MaxAspect))
            : (height, width);
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }
}
