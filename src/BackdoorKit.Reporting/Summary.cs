namespace BackdoorKit.Reporting;

/// <summary>The mean, sample standard deviation and count of a group of values.</summary>
/// <param name="Mean">The mean (NaN when empty).</param>
/// <param name="StandardDeviation">The sample standard deviation (0 for one value, NaN when empty).</param>
/// <param name="Count">The number of values.</param>
public readonly record struct Summary(double Mean, double StandardDeviation, int Count)
{
    /// <summary>Summarizes values.</summary>
    /// <param name="values">The values.</param>
    /// <returns>Their summary.</returns>
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = [.. values];
        if (v.Length == 0)
        {
            return new Summary(double.NaN, double.NaN, 0);
        }

        double mean = v.Average();
        double sd = v.Length == 1 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new Summary(mean, sd, v.Length);
    }
}
