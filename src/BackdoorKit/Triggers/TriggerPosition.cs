namespace BackdoorKit.Triggers;

/// <summary>Where a patch trigger sits on the image. Corners are flush with the image border (no margin).</summary>
public enum TriggerPosition
{
    /// <summary>The top-left corner, starting at pixel (0, 0).</summary>
    TopLeft = 0,

    /// <summary>The top-right corner.</summary>
    TopRight = 1,

    /// <summary>The center, starting at <c>floor((W - w) / 2)</c>, <c>floor((H - h) / 2)</c>.</summary>
    Middle = 2,

    /// <summary>The bottom-left corner.</summary>
    BottomLeft = 3,

    /// <summary>The bottom-right corner.</summary>
    BottomRight = 4,

    /// <summary>A pixel offset given in <see cref="PatchTriggerOptions.CustomOffset"/>.</summary>
    Custom = 5,
}
