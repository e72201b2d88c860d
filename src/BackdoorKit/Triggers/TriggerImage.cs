using System.Security.Cryptography;
using BackdoorKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Triggers;

/// <summary>
/// An RGB picture a trigger draws: the pattern a <see cref="BlendTrigger"/> mixes in (Chen et al. blend a photo) or the
/// content of an image patch (<see cref="PatchPattern.Image"/>). Immutable; trigger descriptions name it by
/// <see cref="Name"/> and a hash of its pixels, so results record exactly which picture was used. Read one from a file
/// with <c>Data.ImageFiles.ReadTriggerImage</c>.
/// </summary>
public sealed class TriggerImage
{
    private readonly byte[] rgb;

    /// <summary>Initializes a new instance of the <see cref="TriggerImage"/> class.</summary>
    /// <param name="name">A short name for descriptions (a file name, say); letters, digits, '-', '_' and '.'.</param>
    /// <param name="width">The width in pixels, at least 1.</param>
    /// <param name="height">The height in pixels, at least 1.</param>
    /// <param name="rgb">The pixels, row-major, RGB interleaved: <c>width x height x 3</c> bytes (copied).</param>
    /// <exception cref="ArgumentException">The name is not allowed, or the byte count does not match the size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is below 1.</exception>
    public TriggerImage(string name, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"name must be 1-64 letters, digits, '-', '_' or '.'; got '{name}'.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"a {width} x {height} RGB image has {(long)width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        }

        this.rgb = rgb.ToArray();
        Name = name;
        Width = width;
        Height = height;
        Hash = Convert.ToHexStringLower(SHA256.HashData(this.rgb).AsSpan(0, 4));
    }

    /// <summary>Gets the name given at construction.</summary>
    public string Name { get; }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the first 8 hex digits of the SHA-256 of the pixels.</summary>
    public string Hash { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}#{Hash}";

    /// <summary>Returns the picture resized bilinearly to <paramref name="height"/> x <paramref name="width"/>: <c>float32 [3, H, W]</c> in 0-255.</summary>
    /// <param name="height">The height to draw at.</param>
    /// <param name="width">The width to draw at.</param>
    /// <param name="device">Where the tensor goes.</param>
    /// <returns>A new tensor.</returns>
    internal Tensor Resized(int height, int width, Device device)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        Tensor picture = tensor(rgb, [Height, Width, 3]).permute(2, 0, 1).to_type(ScalarType.Float32).unsqueeze(0);
        Tensor sized = Height == height && Width == width
            ? picture
            : nn.functional.interpolate(picture, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return sized.squeeze(0).clamp(0, 255).to(device).MoveToOuterDisposeScope();
    }
}
