using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Data.Readers;

/// <summary>Decodes a list of image files of one common size into one planar RGB buffer <c>[N, 3, H, W]</c>.</summary>
internal static class ImageStack
{
    /// <summary>Decodes the files, in order, checking that they all have the size of the first, and builds a color dataset from them.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="files">The image files, in sample order; at least one. Only regular files are opened.</param>
    /// <param name="labels">One label per file.</param>
    /// <param name="classNames">The class names.</param>
    /// <param name="cancellationToken">Checked before each file.</param>
    /// <returns>A dataset owning the new tensors.</returns>
    public static ImageDataset ToDataset(
        string name, IReadOnlyList<string> files, IReadOnlyList<long> labels, IReadOnlyList<string> classNames, CancellationToken cancellationToken)
    {
        (byte[] pixels, int height, int width) = Decode(files, cancellationToken);
        return DatasetTensors.Create(name, pixels, files.Count, height, width, labels.ToArray(), classNames, sourceChannels: 3);
    }

    private static (byte[] Pixels, int Height, int Width) Decode(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            // Readers refuse empty splits with a message naming their folder or listing file before getting here.
            throw new ArgumentException("A split needs at least one image file.", nameof(files));
        }

        byte[] pixels = [];
        int height = 0, width = 0;
        string first = files[0];
        for (int n = 0; n < files.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using Image<Rgb24> image = Load(files[n]);
            if (n == 0)
            {
                height = image.Height;
                width = image.Width;
                pixels = new byte[checked((long)files.Count * 3 * height * width)];
            }
            else if (image.Height != height || image.Width != width)
            {
                throw new DatasetFormatException(
                    files[n],
                    $"size mismatch: the image is {image.Width}x{image.Height} but '{first}' is {width}x{height}; " +
                    "all images of a split must have the same size");
            }

            CopyPlanar(image, pixels, checked(n * 3 * height * width));
        }

        return (pixels, height, width);
    }

    private static Image<Rgb24> Load(string file)
    {
        try
        {
            return Image.Load<Rgb24>(DatasetFiles.RequireFile(file));
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            throw new DatasetFormatException(file, $"undecodable image: {e.Message}", e);
        }
    }

    private static void CopyPlanar(Image<Rgb24> image, byte[] pixels, int offset)
    {
        int plane = image.Width * image.Height;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgb24> row = accessor.GetRowSpan(y);
                int start = offset + (y * accessor.Width);
                for (int x = 0; x < row.Length; x++)
                {
                    pixels[start + x] = row[x].R;
                    pixels[plane + start + x] = row[x].G;
                    pixels[(2 * plane) + start + x] = row[x].B;
                }
            }
        });
    }
}
