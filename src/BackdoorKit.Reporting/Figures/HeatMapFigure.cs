using System.Globalization;
using BackdoorKit.Experiments;
using ScottPlot;

namespace BackdoorKit.Reporting.Figures;

/// <summary>
/// The paper's Figures 3-17: ASR heat maps of poisoning rate (rows) x trigger size (columns), one panel per model, for
/// one dataset, color and position. Each cell is the mean ASR over repetitions (target-class samples excluded), printed
/// in percent; cells never run are blank.
/// </summary>
public static class HeatMapFigure
{
    /// <summary>Lists the (dataset, color, position) combinations that have backdoored results, one figure each.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The combinations, ordered.</returns>
    public static IReadOnlyList<(string Dataset, string Color, string Position)> Combinations(IEnumerable<ExperimentResult> results) =>
        [.. Backdoored(results).Select(r => (r.Spec.Dataset, r.Spec.Trigger!.Color, r.Spec.Trigger.Position)).Distinct().Order()];

    /// <summary>Draws the figure.</summary>
    /// <param name="results">The results; those of other datasets, colors and positions are ignored.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="color">The trigger color (<c>#RRGGBB</c>).</param>
    /// <param name="position">The trigger position.</param>
    /// <returns>The plot; save it with <see cref="FigureFiles.Save"/>.</returns>
    public static Plot Create(IEnumerable<ExperimentResult> results, string dataset, string color, string position)
    {
        ExperimentResult[] cells = [.. Backdoored(results).Where(r =>
            r.Spec.Dataset == dataset && r.Spec.Trigger!.Color == color && r.Spec.Trigger.Position == position)];
        string[] models = [.. cells.Select(r => r.Spec.Model).Distinct().Order(StringComparer.Ordinal)];
        double[] sizes = [.. cells.Select(r => r.Spec.Trigger!.Size).Distinct().Order()];
        double[] rates = [.. cells.Select(r => r.Spec.PoisoningRate).Distinct().OrderDescending()];
        const double Gap = 0.6;
        var plot = new Plot();
        var ticks = new List<(double Position, string Label)>();
        ScottPlot.Plottables.Heatmap? last = null;
        for (int m = 0; m < models.Length; m++)
        {
            double left = m * (sizes.Length + Gap);
            var values = new double[rates.Length, sizes.Length];
            for (int i = 0; i < rates.Length; i++)
            {
                for (int j = 0; j < sizes.Length; j++)
                {
                    double[] asr = [.. cells
                        .Where(r => r.Spec.Model == models[m] && r.Spec.PoisoningRate == rates[i] && r.Spec.Trigger!.Size == sizes[j])
                        .Select(r => r.AttackSuccessRate!.Value)];
                    values[i, j] = asr.Length == 0 ? double.NaN : asr.Average();
                }
            }

            last = plot.Add.Heatmap(values);
            last.Colormap = new ScottPlot.Colormaps.Viridis();
            last.ManualRange = new ScottPlot.Range(0, 1);
            last.NaNCellColor = Colors.White;
            last.Rectangle = new CoordinateRect(left, left + sizes.Length, 0, rates.Length);
            for (int i = 0; i < rates.Length; i++)
            {
                for (int j = 0; j < sizes.Length; j++)
                {
                    if (!double.IsNaN(values[i, j]))
                    {
                        var label = plot.Add.Text((100 * values[i, j]).ToString("0", CultureInfo.InvariantCulture), left + j + 0.5, rates.Length - i - 0.5);
                        label.LabelAlignment = Alignment.MiddleCenter;
                        label.LabelFontSize = 16;
                        label.LabelFontColor = values[i, j] < 0.6 ? Colors.White : Colors.Black;
                    }
                }
            }

            var title = plot.Add.Text(models[m], left + (sizes.Length / 2.0), rates.Length + 0.35);
            title.LabelAlignment = Alignment.MiddleCenter;
            title.LabelBold = true;
            title.LabelFontSize = 14;
            ticks.AddRange(sizes.Select((s, j) => (left + j + 0.5, Percent(s))));
        }

        if (last is not null)
        {
            plot.Add.ColorBar(last).Label = "ASR (fraction)";
        }

        plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        plot.Axes.Left.SetTicks([.. rates.Select((_, i) => rates.Length - i - 0.5)], [.. rates.Select(Percent)]);
        plot.Axes.SetLimits(-0.1, Math.Max(1, (models.Length * (sizes.Length + Gap)) - Gap + 0.1), -0.1, rates.Length + 0.8);
        plot.Title($"ASR (%): {dataset}, {color} trigger, {position}");
        plot.XLabel("trigger size (% of the image side)");
        plot.YLabel("poisoning rate eps");
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>Gets a file name for a combination, e.g. <c>heatmap-mnist-FFFFFF-bottom-right</c>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="color">The color.</param>
    /// <param name="position">The position.</param>
    /// <returns>The file name without extension.</returns>
    public static string FileName(string dataset, string color, string position) =>
        $"heatmap-{dataset}-{color.TrimStart('#')}-{position}";

    private static IEnumerable<ExperimentResult> Backdoored(IEnumerable<ExperimentResult> results) =>
        StudyResults.Main(results).Where(r => r.AttackSuccessRate is not null && r.Spec.Trigger is not null);

    private static string Percent(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
