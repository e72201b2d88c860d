namespace BackdoorKit.Triggers;

/// <summary>How a trigger's side, a fraction of the image side, becomes whole pixels. The side is at least one pixel either way.</summary>
public enum TriggerRounding
{
    /// <summary>Round to the nearest pixel, halves away from zero (BackdoorKit's default).</summary>
    Round = 0,

    /// <summary>Truncate, as the published code's <c>int(fraction * side)</c> does (4 % and 6 % of 32 px are both 1 px).</summary>
    Floor = 1,
}
