using BackdoorKit.Models.Freezing;
using BackdoorKit.Triggers;

namespace BackdoorKit.Experiments;

/// <summary>
/// The trigger families that ship with BackdoorKit, by the name a <see cref="TriggerSpec.Family"/> or a matrix's
/// <see cref="ExperimentMatrix.TriggerFamilies"/> gives them. Each reads the spec's size as its main strength (its side for
/// the patches, its alpha, amplitude or warping strength otherwise) and draws on the protocol's canvas.
/// </summary>
public static class KnownTriggerFactories
{
    private const string SigPrefix = "sig-";
    private const string WaNetPrefix = "wanet-";

    /// <summary>Gets <c>patch</c>: the paper's solid square (<see cref="PatchTrigger"/>); size, position and color as the spec says, rounding, canvas and gray rule as the protocol says. A spec without a family is a patch.</summary>
    public static ITriggerFactory Patch { get; } = new TriggerFamily(
        "patch", (t, p) => p.CreateTrigger(t.Size, TriggerPositions.Parse(t.Position), TriggerColor.Parse(t.Color)));

    /// <summary>Gets <c>checkerboard</c>: the patch with <see cref="PatchPattern.Checkerboard"/>, a one-pixel checkerboard of the color and black.</summary>
    public static ITriggerFactory Checkerboard { get; } = new TriggerFamily(
        "checkerboard",
        (t, p) => new PatchTrigger(p.CreateTrigger(t.Size, TriggerPositions.Parse(t.Position), TriggerColor.Parse(t.Color)).Options with { Pattern = PatchPattern.Checkerboard }));

    /// <summary>Gets <c>blend</c> (Chen et al., 2017; <see cref="BlendTrigger"/>): uniform noise mixed into the whole image with alpha = the spec's size; position and color are not used.</summary>
    public static ITriggerFactory Blend { get; } = new TriggerFamily(
        "blend", (t, p) => new BlendTrigger(new BlendTriggerOptions { Alpha = t.Size, Canvas = p.TriggerCanvas }), usesPosition: false, usesColor: false);

    /// <summary>
    /// Gets <c>sig</c> (Barni et al., 2019; <see cref="SinusoidalTrigger"/>): a horizontal sinusoid of 6 periods with
    /// amplitude 255 x the spec's size (0.08 gives about the paper's 20); position and color are not used.
    /// </summary>
    public static ITriggerFactory Sig { get; } = new TriggerFamily(
        "sig", (t, p) => new SinusoidalTrigger(new SinusoidalTriggerOptions { Amplitude = 255 * t.Size, Canvas = p.TriggerCanvas }), usesPosition: false, usesColor: false);

    /// <summary>Gets <c>wanet</c> (Nguyen and Tran, 2021; <see cref="WarpTrigger"/>): a fixed warp on a 4 x 4 control grid with strength = the spec's size (the paper's 0.5 is size 0.5); position and color are not used.</summary>
    public static ITriggerFactory WaNet { get; } = new TriggerFamily(
        "wanet", (t, p) => new WarpTrigger(new WarpTriggerOptions { Strength = t.Size, Canvas = p.TriggerCanvas }), usesPosition: false, usesColor: false);

    /// <summary>
    /// Creates a blend family that mixes a picture instead of noise (Chen et al. blend a photo): alpha = the spec's size;
    /// position and color are not used. Add it to a <see cref="ComponentCatalog"/> to sweep it.
    /// </summary>
    /// <param name="name">The family's name, e.g. <c>blend-kitty</c>.</param>
    /// <param name="image">The picture (<c>Data.ImageFiles.ReadTriggerImage</c>), resized to the canvas.</param>
    /// <returns>The family.</returns>
    public static ITriggerFactory BlendImage(string name, TriggerImage image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(image);
        return new TriggerFamily(
            name,
            (t, p) => new BlendTrigger(new BlendTriggerOptions { Alpha = t.Size, Image = image, Canvas = p.TriggerCanvas }),
            usesPosition: false,
            usesColor: false);
    }

    /// <summary>
    /// Creates a patch family whose square holds a picture (<see cref="PatchPattern.Image"/>): size and position as the
    /// spec says, rounding and canvas as the protocol says; the color is not used. Add it to a
    /// <see cref="ComponentCatalog"/> to sweep it.
    /// </summary>
    /// <param name="name">The family's name, e.g. <c>patch-logo</c>.</param>
    /// <param name="image">The picture, resized to the square.</param>
    /// <returns>The family.</returns>
    public static ITriggerFactory ImagePatch(string name, TriggerImage image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(image);
        return new TriggerFamily(
            name,
            (t, p) => new PatchTrigger(
                p.CreateTrigger(t.Size, TriggerPositions.Parse(t.Position), TriggerColor.White).Options with { Pattern = PatchPattern.Image, Image = image }),
            usesColor: false);
    }

    /// <summary>
    /// Creates <c>sig-&lt;periods&gt;</c>: the SIG family with another frequency (full periods across the image width, the
    /// paper's 6 by default), so matrices sweep frequency by name (<c>"triggerFamilies": ["sig-3", "sig-12"]</c>) while
    /// the spec's size sweeps the amplitude.
    /// </summary>
    /// <param name="periods">Full periods across the width, 1 to 1000.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periods"/> is outside [1, 1000].</exception>
    public static ITriggerFactory SigWithFrequency(int periods)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(periods, 1000);
        return new TriggerFamily(
            $"{SigPrefix}{periods}",
            (t, p) => new SinusoidalTrigger(new SinusoidalTriggerOptions { Amplitude = 255 * t.Size, Frequency = periods, Canvas = p.TriggerCanvas }),
            usesPosition: false,
            usesColor: false);
    }

    /// <summary>
    /// Creates <c>wanet-&lt;grid&gt;</c>: the WaNet family on another control grid (the paper's 4 by default; larger grids
    /// warp more locally), so matrices sweep it by name while the spec's size sweeps the strength.
    /// </summary>
    /// <param name="grid">The control grid's side, 2 to 64.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grid"/> is outside [2, 64].</exception>
    public static ITriggerFactory WaNetWithGrid(int grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(grid, 64);
        return new TriggerFamily(
            $"{WaNetPrefix}{grid}",
            (t, p) => new WarpTrigger(new WarpTriggerOptions { Strength = t.Size, GridSize = grid, Canvas = p.TriggerCanvas }),
            usesPosition: false,
            usesColor: false);
    }

    /// <summary>Gets every shipped family.</summary>
    public static IReadOnlyList<ITriggerFactory> All { get; } = [Patch, Checkerboard, Blend, Sig, WaNet];

    /// <summary>Resolves <c>sig-&lt;periods&gt;</c> (periods 1 to 1000), the parameterised name a catalog knows.</summary>
    /// <param name="name">A family name.</param>
    /// <returns>The family, or null when the name has another form or its number is out of range.</returns>
    internal static ITriggerFactory? ParseSig(string name) =>
        KnownFreezeStrategies.TryParseNumbered(name, SigPrefix, out int periods) && periods is >= 1 and <= 1000 ? SigWithFrequency(periods) : null;

    /// <summary>Resolves <c>wanet-&lt;grid&gt;</c> (grid 2 to 64), the parameterised name a catalog knows.</summary>
    /// <param name="name">A family name.</param>
    /// <returns>The family, or null when the name has another form or its number is out of range.</returns>
    internal static ITriggerFactory? ParseWaNet(string name) =>
        KnownFreezeStrategies.TryParseNumbered(name, WaNetPrefix, out int grid) && grid is >= 2 and <= 64 ? WaNetWithGrid(grid) : null;
}
