namespace BackdoorKit.Triggers;

/// <summary>What a <see cref="PatchTrigger"/> draws inside its square.</summary>
public enum PatchPattern
{
    /// <summary>The paper's solid square of the trigger color.</summary>
    Solid,

    /// <summary>
    /// A one-pixel checkerboard: pixels whose column plus row (counted from the patch's top-left corner) is even take the
    /// trigger color, the others black, like the patterned patches of BadNets (Gu et al., 2017).
    /// </summary>
    Checkerboard,

    /// <summary>A picture of one's own (<see cref="PatchTriggerOptions.Image"/>) resized bilinearly to the square; the color is not used.</summary>
    Image,
}
