namespace BackdoorKit.Models;

/// <summary>
/// The lock under which seeded model creation (<see cref="ModelOptions.Seed"/>) seeds torch's global generator and draws
/// the initial values; take it too when code of yours must draw more values for a model right after it is created.
/// </summary>
public static class ModelSeeding
{
    /// <summary>Gets the lock (re-entrant).</summary>
    public static Lock Gate { get; } = new();
}
