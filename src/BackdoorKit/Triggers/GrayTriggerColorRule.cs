namespace BackdoorKit.Triggers;

/// <summary>How a trigger color is drawn on images whose source files are gray (MNIST).</summary>
public enum GrayTriggerColorRule
{
    /// <summary>Draw the RGB color as given on the RGB-converted image (the paper's text).</summary>
    TrueColor = 0,

    /// <summary>As the published code: white is drawn as 255, every other color as 0 (so MNIST "green" equals black).</summary>
    PublishedCode = 1,
}
