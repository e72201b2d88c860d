namespace BackdoorKit.Triggers;

/// <summary>A pixel position on an image: column <see cref="X"/> and row <see cref="Y"/>, zero-based from the top-left corner.</summary>
/// <param name="X">The column.</param>
/// <param name="Y">The row.</param>
public readonly record struct PixelOffset(int X, int Y)
{
    /// <inheritdoc />
    public override string ToString() => $"({X},{Y})";
}
