using System.Globalization;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// The paper's trigger: a solid square patch whose side is a fraction of the image width and height, drawn in one color
/// at a corner, the middle, or a given offset.
/// </summary>
/// <remarks>
/// Sides are <c>max(1, rule(Size * W))</c> wide and <c>max(1, rule(Size * H))</c> high, where the rule is
/// <see cref="TriggerRounding"/>. Corners are flush with the border; the middle patch starts at
/// <c>floor((W - w) / 2)</c>, <c>floor((H - h) / 2)</c>. Instances are immutable and thread-safe.
/// </remarks>
public sealed class PatchTrigger : ITrigger
{
    /// <summary>Creates a patch trigger from validated options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">
    /// <see cref="PatchTriggerOptions.Position"/> is <see cref="TriggerPosition.Custom"/> without a
    /// <see cref="PatchTriggerOptions.CustomOffset"/>, or another position comes with one; or the
    /// <see cref="PatchPattern.Image"/> pattern comes without <see cref="PatchTriggerOptions.Image"/>, or another pattern with one.
    /// </exception>
    public PatchTrigger(PatchTriggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool custom = options.Position == TriggerPosition.Custom;
        if (custom != options.CustomOffset.HasValue)
        {
            throw new ArgumentException(
                custom
                    ? "CustomOffset is required when Position is custom; got none."
                    : $"CustomOffset must be null unless Position is custom; got {options.CustomOffset} with Position {TriggerPositions.ToName(options.Position)}.",
                nameof(options));
        }

        if ((options.Pattern == PatchPattern.Image) != options.Image is not null)
        {
            throw new ArgumentException(
                options.Image is null
                    ? "Image is required when Pattern is Image; got none."
                    : $"Image must be null unless Pattern is Image; got {options.Image} with Pattern {options.Pattern}.",
                nameof(options));
        }

        Options = options;
        Description = string.Create(
            CultureInfo.InvariantCulture,
            $"patch(size={options.Size},position={PositionText(options)},color={options.Color},rounding={RoundingName(options.Rounding)},canvas={TriggerNames.Canvas(options.Canvas)},gray={GrayRuleName(options.GrayColorRule)}{PatternText(options)})");
    }

    /// <summary>Gets the options the trigger was built from.</summary>
    public PatchTriggerOptions Options { get; }

    /// <summary>
    /// Gets a stable description, e.g.
    /// <c>patch(size=0.08,position=top-left,color=#FFFFFF,rounding=round,canvas=model-input,gray=true-color)</c>.
    /// </summary>
    public string Description { get; }

    /// <inheritdoc />
    public TriggerCanvas Canvas => Options.Canvas;

    /// <inheritdoc />
    public PixelRectangle Resolve(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int w = Side(width);
        int h = Side(height);
        (int x, int y) = Options.Position switch
        {
            TriggerPosition.TopLeft => (0, 0),
            TriggerPosition.TopRight => (width - w, 0),
            TriggerPosition.Middle => ((width - w) / 2, (height - h) / 2),
            TriggerPosition.BottomLeft => (0, height - h),
            TriggerPosition.BottomRight => (width - w, height - h),
            _ => (Options.CustomOffset!.Value.X, Options.CustomOffset.Value.Y),
        };

        if (x + w > width || y + h > height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(PatchTriggerOptions.CustomOffset),
                Options.CustomOffset,
                $"a {w}x{h} patch at offset {Options.CustomOffset} does not fit a {width}x{height} image (width x height).");
        }

        return new PixelRectangle(x, y, w, h);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The images are not <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>, or neither <c>uint8</c> nor floating point.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sourceChannels"/> is neither 1 nor 3.</exception>
    public Tensor Apply(Tensor images, int sourceChannels = 3)
    {
        TriggerImages.Check(images, sourceChannels);
        TorchRuntime.EnsureInitialized();
        PixelRectangle r = Resolve((int)images.shape[^2], (int)images.shape[^1]);
        TriggerColor c = DrawnColor(sourceChannels);

        using var scope = NewDisposeScope();
        Tensor result = images.clone();
        using Tensor color = tensor(new float[] { c.R, c.G, c.B }, images.dtype, images.device).view(3, 1, 1);
        using Tensor patch = result[TensorIndex.Ellipsis, TensorIndex.Slice(r.Y, r.Y + r.Height), TensorIndex.Slice(r.X, r.X + r.Width)];
        if (Options.Image is { } image)
        {
            using Tensor picture = image.Resized(r.Height, r.Width, images.device);
            patch.copy_(images.dtype == ScalarType.Byte ? picture.round() : picture);
        }
        else if (Options.Pattern == PatchPattern.Checkerboard)
        {
            using Tensor rows = arange(r.Height, device: images.device).view(-1, 1);
            using Tensor columns = arange(r.Width, device: images.device).view(1, -1);
            using Tensor colored = rows.add(columns).remainder(2).eq(0);
            patch.copy_(where(colored, color, zeros_like(color)));
        }
        else
        {
            patch.copy_(color);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static string PositionText(PatchTriggerOptions options) =>
        options.CustomOffset is { } offset
            ? $"{TriggerPositions.ToName(options.Position)}{offset}"
            : TriggerPositions.ToName(options.Position);

    private static string PatternText(PatchTriggerOptions options) => options.Pattern switch
    {
        PatchPattern.Checkerboard => ",pattern=checkerboard",
        PatchPattern.Image => $",pattern=image,image={options.Image}",
        _ => string.Empty,
    };

    private static string RoundingName(TriggerRounding rounding) => rounding == TriggerRounding.Floor ? "floor" : "round";

    private static string GrayRuleName(GrayTriggerColorRule rule) =>
        rule == GrayTriggerColorRule.PublishedCode ? "published-code" : "true-color";

    private int Side(int imageSide)
    {
        double exact = Options.Size * imageSide;
        int pixels = Options.Rounding == TriggerRounding.Floor
            ? (int)exact
            : (int)Math.Round(exact, MidpointRounding.AwayFromZero);
        return Math.Max(1, pixels);
    }

    private TriggerColor DrawnColor(int sourceChannels) =>
        sourceChannels == 1 && Options.GrayColorRule == GrayTriggerColorRule.PublishedCode
            ? (Options.Color == TriggerColor.White ? TriggerColor.White : TriggerColor.Black)
            : Options.Color;
}
