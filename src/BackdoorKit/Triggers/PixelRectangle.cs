namespace BackdoorKit.Triggers;

/// <summary>A trigger's resolved pixel rectangle on the image it is drawn on (columns <c>[X, X + Width)</c>, rows <c>[Y, Y + Height)</c>).</summary>
/// <param name="X">The left column, zero-based.</param>
/// <param name="Y">The top row, zero-based.</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
public readonly record struct PixelRectangle(int X, int Y, int Width, int Height)
{
    /// <summary>Gets the number of pixels covered.</summary>
    public int Area => Width * Height;

    /// <summary>Tells whether the pixel at column <paramref name="x"/>, row <paramref name="y"/> lies inside.</summary>
    /// <param name="x">The column.</param>
    /// <param name="y">The row.</param>
    /// <returns><see langword="true"/> when the pixel is covered.</returns>
    public bool Contains(int x, int y) => x >= X && x < X + Width && y >= Y && y < Y + Height;

    /// <inheritdoc />
    public override string ToString() => $"{Width}x{Height}@({X},{Y})";
}
