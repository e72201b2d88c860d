namespace BackdoorKit.Triggers;

/// <summary>The checks trigger option records make when a value is set.</summary>
internal static class TriggerSettings
{
    /// <summary>Returns a value of a defined enum member, else throws naming the setting and the allowed values.</summary>
    public static T Defined<T>(T value, string name)
        where T : struct, Enum =>
        Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of: {string.Join(", ", Enum.GetNames<T>())}; got {value}.");

    /// <summary>Returns a value in <c>(0, max]</c>, else throws naming the setting and the range (NaN is refused).</summary>
    public static double InRange(double value, double max, string name) =>
        value > 0 && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in (0, {max}]; got {value}.");
}
