using SkiaSharp;

namespace BackdoorKit.Reporting.Tests;

/// <summary>Reads rendered PNGs for assertions on their content.</summary>
internal static class Pixels
{
    /// <summary>Counts the pixels whose channels differ by more than 60: colormap cells, not the white, gray or black of frames and text.</summary>
    public static int Colourful(string png)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png);
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                count += Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60 ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Counts the distinct colors of a rectangle.</summary>
    public static int DistinctColors(string png, SKRectI area)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png);
        var colors = new HashSet<SKColor>();
        for (int y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
        {
            for (int x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
            {
                colors.Add(bitmap.GetPixel(x, y));
            }
        }

        return colors.Count;
    }
}
