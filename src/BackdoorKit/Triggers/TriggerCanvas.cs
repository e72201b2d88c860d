namespace BackdoorKit.Triggers;

/// <summary>Where a trigger is drawn: this decides its size in pixels and whether resizing blurs it.</summary>
public enum TriggerCanvas
{
    /// <summary>On the image at the model's input resolution, after resizing (BackdoorKit's default: the trigger stays sharp).</summary>
    ModelInput = 0,

    /// <summary>On the native image before it is resized, as the published code does (the trigger is resampled with the image).</summary>
    NativeImage = 1,
}
