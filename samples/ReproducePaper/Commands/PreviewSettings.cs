using System.ComponentModel;
using System.Globalization;
using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options of <c>preview</c>: a training image and the trigger to draw on it.</summary>
internal sealed class PreviewSettings : DatasetSettings
{
    private static readonly string[] PaperPositions = [.. KnownTriggers.Positions.Select(TriggerPositions.ToName)];
    private ITriggerFactory? family;

    /// <summary>Gets the index of the training image.</summary>
    [CommandOption("--index <I>", isRequired: true)]
    [Description("The training image, 0 to the split's size - 1.")]
    public int Index { get; init; }

    /// <summary>Gets the trigger's side as a fraction of the image side.</summary>
    [CommandOption("--size <FRACTION>", isRequired: true)]
    [Description("The trigger's side as a fraction of the image side, more than 0 and at most 1, e.g. 0.08.")]
    public double Size { get; init; }

    /// <summary>Gets the trigger's position.</summary>
    [CommandOption("--position <NAME>")]
    [Description("Where the trigger goes: top-left, top-right, middle, bottom-left or bottom-right; required for the patch families, not used by blend, sig or wanet.")]
    public string? Position { get; init; }

    /// <summary>Gets the trigger's color.</summary>
    [CommandOption("--color <COLOR>")]
    [Description("The trigger's color: black, white, green or #RRGGBB; required for the colored patch families, not used by blend, sig or wanet.")]
    public string? Color { get; init; }

    /// <summary>Gets the protocol's name.</summary>
    [CommandOption("--protocol <NAME>", isRequired: true)]
    [Description("The protocol that draws the trigger: paper-text or seed-code (docs/conventions.md).")]
    public string Protocol { get; init; } = string.Empty;

    /// <summary>Gets the trigger family's name.</summary>
    [CommandOption("--family <NAME>")]
    [Description("The trigger family: patch, checkerboard, blend, sig or wanet (docs/extending.md); families other than the patches read --size as their strength; blend and patch take --image.")]
    [DefaultValue("patch")]
    public string Family { get; init; } = "patch";

    /// <summary>Gets the picture file a blend or patch trigger draws, or null.</summary>
    [CommandOption("--image <FILE>")]
    [Description("A picture (PNG, JPEG, BMP or GIF) for --family blend (mixed in instead of noise) or --family patch (drawn in the square).")]
    public string? Image { get; init; }

    /// <summary>Gets the PNG file to write.</summary>
    [CommandOption("--out <FILE>", isRequired: true)]
    [Description("The PNG file to write.")]
    public string Out { get; init; } = string.Empty;

    /// <summary>Gets the position named by <c>--position</c>: one of the paper's five (<see cref="KnownTriggers.Positions"/>).</summary>
    /// <exception cref="UsageException">The name is not one of them.</exception>
    public TriggerPosition TriggerPosition => TriggerPositions.Parse(OptionValue.Choice(
        "--position", Position ?? throw new UsageException($"option --position is required for --family {TriggerFamily.Name}"), PaperPositions));

    /// <summary>Gets the color given by <c>--color</c>.</summary>
    /// <exception cref="UsageException">The text is not a color.</exception>
    public TriggerColor TriggerColor => OptionValue.Parse(
        "--color", Color ?? throw new UsageException($"option --color is required for --family {TriggerFamily.Name}"), TriggerColor.Parse);

    /// <summary>Gets the trigger spec the options describe; position and color are <see cref="TriggerSpec.NotUsed"/> where the family does not use them.</summary>
    /// <exception cref="UsageException">The family needs a position or color that is missing or invalid.</exception>
    public TriggerSpec TriggerSpec => new(
        Size,
        TriggerFamily.UsesPosition ? TriggerPositions.ToName(TriggerPosition) : TriggerSpec.NotUsed,
        TriggerFamily.UsesColor ? TriggerColor.ToString() : TriggerSpec.NotUsed)
    {
        Family = ReferenceEquals(TriggerFamily, KnownTriggerFactories.Patch) ? null : TriggerFamily.Name,
    };

    /// <summary>Gets the protocol named by <c>--protocol</c>.</summary>
    /// <exception cref="UsageException">No protocol has that name.</exception>
    public StudyProtocol StudyProtocol => OptionValue.Parse("--protocol", Protocol, ComponentCatalog.Default.Protocols.Get);

    /// <summary>Gets the trigger family named by <c>--family</c>.</summary>
    /// <exception cref="UsageException">No family has that name.</exception>
    public ITriggerFactory TriggerFamily => family ??= Image is null
        ? OptionValue.Parse("--family", Family, ComponentCatalog.Default.Triggers.Get)
        : Family switch
        {
            "blend" => KnownTriggerFactories.BlendImage("blend-image", Picture),
            "patch" => KnownTriggerFactories.ImagePatch("patch-image", Picture),
            _ => throw new UsageException($"option --image works with --family blend or patch; got --family '{Family}'"),
        };

    private TriggerImage Picture
    {
        get
        {
            try
            {
                return ImageFiles.ReadTriggerImage(Image!);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new UsageException($"option --image: {e.Message}");
            }
        }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate() => OptionValue.Validate(() =>
    {
        _ = (Descriptor, TriggerSpec, StudyProtocol);
        OptionValue.AtLeast("--index", Index, 0);
        if (!(Size is > 0 and <= 1))
        {
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture, $"option --size must be a fraction of the image side in (0, 1], e.g. 0.08; got '{Size}'"));
        }
    });
}
