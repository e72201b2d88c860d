namespace BackdoorKit.Defenses;

/// <summary>Receiver operating characteristics of a score that should be higher for positives.</summary>
internal static class Roc
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random positive scores above a random negative, ties counted
    /// half (the Mann-Whitney statistic). NaN when either side is empty.
    /// </summary>
    /// <param name="positives">Scores of the positives.</param>
    /// <param name="negatives">Scores of the negatives.</param>
    /// <returns>The area, in [0, 1].</returns>
    public static double Auroc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. negatives.Order()];
        double wins = 0;
        foreach (double p in positives)
        {
            int below = LowerBound(sorted, p);
            int notAbove = UpperBound(sorted, p);
            wins += below + (0.5 * (notAbove - below));
        }

        return wins / ((double)positives.Count * negatives.Count);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
