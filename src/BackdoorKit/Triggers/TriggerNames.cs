namespace BackdoorKit.Triggers;

/// <summary>The spellings of trigger settings in descriptions.</summary>
internal static class TriggerNames
{
    /// <summary>Gets a canvas's name: <c>native-image</c> or <c>model-input</c>.</summary>
    public static string Canvas(TriggerCanvas canvas) => canvas == TriggerCanvas.NativeImage ? "native-image" : "model-input";
}
