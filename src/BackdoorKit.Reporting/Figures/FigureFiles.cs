using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>Saves plots as PNG and SVG side by side.</summary>
public static class FigureFiles
{
    /// <summary>Saves <c>name.png</c> and <c>name.svg</c>.</summary>
    /// <param name="plot">The plot.</param>
    /// <param name="directory">The directory (created when missing).</param>
    /// <param name="name">The file name without extension.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <returns>The PNG's path.</returns>
    public static string Save(Plot plot, string directory, string name, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        Directory.CreateDirectory(directory);
        string png = Path.Combine(directory, name + ".png");
        plot.SavePng(png, width, height);
        plot.SaveSvg(Path.Combine(directory, name + ".svg"), width, height);
        return png;
    }
}
