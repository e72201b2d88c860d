using System.Globalization;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>Draws side-by-side heat-map panels of a rate (ASR unless said otherwise) in percent, the value printed in each cell and on the color bar.</summary>
internal static class HeatMapPanels
{
    private const double Gap = 0.6;

    /// <summary>Draws the panels; row 0 of each panel's values is drawn at the top, NaN cells are left white and unlabelled.</summary>
    /// <param name="panels">Each panel's title (e.g. the model) and values <c>[rows, columns]</c> in [0, 1].</param>
    /// <param name="rowLabels">The row tick labels, top first.</param>
    /// <param name="columnLabels">The column tick labels, repeated under every panel.</param>
    /// <param name="labels">The figure's title and axis labels.</param>
    /// <param name="quantity">What the values are, on the color bar (with "(%)").</param>
    /// <returns>The plot.</returns>
    public static Plot Draw(
        IReadOnlyList<(string Title, double[,] Values)> panels, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, (string Title, string X, string Y) labels, string quantity = "ASR")
    {
        int rows = rowLabels.Count, columns = columnLabels.Count;
        var plot = new Plot();
        var ticks = new List<(double Position, string Label)>();
        ScottPlot.Plottables.Heatmap? last = null;
        for (int m = 0; m < panels.Count; m++)
        {
            double left = m * (columns + Gap);
            double[,] values = panels[m].Values;
            double[,] percent = new double[rows, columns];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    percent[i, j] = 100 * values[i, j];
                }
            }

            last = plot.Add.Heatmap(percent);
            last.Colormap = new ScottPlot.Colormaps.Viridis();
            last.ManualRange = new ScottPlot.Range(0, 100);
            last.NaNCellColor = Colors.White;
            last.Rectangle = new CoordinateRect(left, left + columns, 0, rows);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    if (!double.IsNaN(values[i, j]))
                    {
                        var label = plot.Add.Text((100 * values[i, j]).ToString("0", CultureInfo.InvariantCulture), left + j + 0.5, rows - i - 0.5);
                        label.LabelAlignment = Alignment.MiddleCenter;
                        label.LabelFontSize = 16;
                        label.LabelFontColor = values[i, j] < 0.6 ? Colors.White : Colors.Black;
                    }
                }
            }

            var title = plot.Add.Text(panels[m].Title, left + (columns / 2.0), rows + 0.35);
            title.LabelAlignment = Alignment.MiddleCenter;
            title.LabelBold = true;
            title.LabelFontSize = 14;
            ticks.AddRange(columnLabels.Select((c, j) => (left + j + 0.5, c)));
        }

        if (last is not null)
        {
            plot.Add.ColorBar(last).Label = $"{quantity} (%)";
        }

        plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        plot.Axes.Left.SetTicks([.. rowLabels.Select((_, i) => rows - i - 0.5)], [.. rowLabels]);
        plot.Axes.SetLimits(-0.1, Math.Max(1, (panels.Count * (columns + Gap)) - Gap + 0.1), -0.1, rows + 0.8);
        plot.Title(labels.Title);
        plot.XLabel(labels.X);
        plot.YLabel(labels.Y);
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>Averages values into a <c>[rows, columns]</c> grid; cells without values are NaN.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="values">The values of cell (row, column).</param>
    /// <returns>The means.</returns>
    public static double[,] Means(int rows, int columns, Func<int, int, IEnumerable<double>> values)
    {
        var means = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double[] cell = [.. values(i, j)];
                means[i, j] = cell.Length == 0 ? double.NaN : cell.Average();
            }
        }

        return means;
    }
}
