namespace BackdoorKit.Tests;

/// <summary>
/// Tests that compare two trainings bit for bit. LibTorch's global generator initialises models and other test classes
/// draw from it in parallel, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Sequential: compares trainings";
}
