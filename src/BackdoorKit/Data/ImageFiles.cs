using BackdoorKit.Runtime;
using BackdoorKit.Triggers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Data;

/// <summary>
/// Writes image tensors as files and reads trigger pictures: the one place besides the dataset readers
/// (<c>Data.Readers</c>) where the library touches an image codec. Trigger previews, Grad-CAM panels and feature maps are
/// written through it.
/// </summary>
public static class ImageFiles
{
    /// <summary>Converts one image in the 0-255 range to 8-bit RGB: values are rounded to the nearest integer and clamped.</summary>
    /// <param name="image">An image <c>[3, H, W]</c> (or a batch of one, <c>[1, 3, H, W]</c>), <c>uint8</c> or floating point, on any device.</param>
    /// <returns>The bytes of a <c>uint8 [H, W, 3]</c> CPU tensor (row-major, RGB interleaved) and the image size.</returns>
    /// <exception cref="ArgumentException">The shape is not <c>[3, H, W]</c> or <c>[1, 3, H, W]</c>.</exception>
    public static (byte[] Rgb, int Height, int Width) ToRgbBytes(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        bool single = image.dim() == 3 || (image.dim() == 4 && image.shape[0] == 1);
        if (!single || image.shape[^3] != 3 || !(image.dtype == ScalarType.Byte || image.is_floating_point()))
        {
            throw new ArgumentException(
                $"image must be uint8 or floating point, shaped [3, H, W] or [1, 3, H, W]; got {image.dtype} [{string.Join(", ", image.shape)}].",
                nameof(image));
        }

        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        Tensor chw = image.dim() == 4 ? image[0] : image;
        Tensor bytes = chw.dtype == ScalarType.Byte
            ? chw
            : chw.to_type(ScalarType.Float32).round().clamp(0, 255).to_type(ScalarType.Byte);
        Tensor hwc = bytes.permute(1, 2, 0).contiguous().cpu();
        return (hwc.data<byte>().ToArray(), (int)chw.shape[1], (int)chw.shape[2]);
    }

    /// <summary>Reads a picture for a trigger (<see cref="TriggerImage"/>) from a PNG, JPEG, BMP or GIF file, named after the file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The picture, as 8-bit RGB (transparency dropped).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image the codec reads; the message names it.</exception>
    public static TriggerImage ReadTriggerImage(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"trigger image '{path}' does not exist.", path);
        }

        Image<Rgb24> picture;
        try
        {
            picture = Image.Load<Rgb24>(path);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new InvalidDataException($"trigger image '{path}' cannot be read as an image: {e.Message}", e);
        }

        using (picture)
        {
            var rgb = new byte[picture.Width * picture.Height * 3];
            picture.CopyPixelDataTo(rgb);
            string name = new([.. Path.GetFileName(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(64)]);
            return new TriggerImage(name, picture.Width, picture.Height, rgb);
        }
    }

    /// <summary>Writes one image in the 0-255 range as an 8-bit RGB PNG file (see <see cref="ToRgbBytes"/>).</summary>
    /// <param name="image">An image <c>[3, H, W]</c> or <c>[1, 3, H, W]</c>, <c>uint8</c> or floating point.</param>
    /// <param name="path">The file to write; its folder is created when missing, an existing file is replaced.</param>
    /// <exception cref="ArgumentException">The shape is wrong or the path is empty.</exception>
    public static void SavePng(Tensor image, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        (byte[] rgb, int height, int width) = ToRgbBytes(image);
        using Image<Rgb24> png = Image.LoadPixelData<Rgb24>(rgb, width, height);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        png.SaveAsPng(path);
    }
}
