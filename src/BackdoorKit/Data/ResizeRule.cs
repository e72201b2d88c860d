namespace BackdoorKit.Data;

/// <summary>How native images become model-input images.</summary>
public enum ResizeRule
{
    /// <summary>Resize directly to the model-input size (bilinear), no crop and no augmentation (the paper's text).</summary>
    Direct = 0,

    /// <summary>
    /// The published code's transforms: TinyImageNet test images are resized to 256 and center-cropped to 224, training
    /// images get a random resized crop to 224 and a random horizontal flip; other datasets are resized directly.
    /// </summary>
    PublishedCode = 1,
}
