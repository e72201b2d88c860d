namespace BackdoorKit.Data;

/// <summary>Per-channel mean and standard deviation, on the 0 to 1 scale, that normalize model-input images.</summary>
/// <remarks>A normalized value is <c>(x / 255 - Mean[c]) / Std[c]</c> for a pixel <c>x</c> in 0 to 255 of channel <c>c</c>.</remarks>
public sealed record NormalizationStatistics
{
    /// <summary>Creates statistics for the three RGB channels.</summary>
    /// <param name="mean">Three channel means, finite.</param>
    /// <param name="std">Three channel standard deviations, finite and positive.</param>
    /// <exception cref="ArgumentException">A list does not hold three values, or a value is out of range.</exception>
    public NormalizationStatistics(float[] mean, float[] std)
    {
        Mean = Validate(mean, nameof(mean), positive: false);
        Std = Validate(std, nameof(std), positive: true);
    }

    /// <summary>Gets the three channel means (R, G, B), read-only: the statistics cannot change after construction.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Gets the three channel standard deviations (R, G, B), read-only.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <inheritdoc />
    public bool Equals(NormalizationStatistics? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mean[0], Mean[1], Mean[2], Std[0], Std[1], Std[2]);

    /// <inheritdoc />
    public override string ToString() => $"mean ({string.Join(", ", Mean)}), std ({string.Join(", ", Std)})";

    private static System.Collections.ObjectModel.ReadOnlyCollection<float> Validate(float[] values, string name, bool positive)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != 3)
        {
            throw new ArgumentException($"{name} must hold 3 values (R, G, B); got {values.Length}.", name);
        }

        foreach (float v in values)
        {
            if (!float.IsFinite(v) || (positive && v <= 0f))
            {
                throw new ArgumentOutOfRangeException(
                    name, v, positive ? $"{name} values must be finite and greater than 0." : $"{name} values must be finite.");
            }
        }

        return Array.AsReadOnly((float[])values.Clone());
    }
}
