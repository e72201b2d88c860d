namespace BackdoorKit.Tests.Training;

/// <summary>
/// Tests that compare bits, and tests that run the command line, run alone, after the parallel tests: model
/// initialisation draws from LibTorch's global generator, which any test building a model on another thread would
/// advance in between, and the command line writes to the process-wide console, which tests capture.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchStateCollection
{
    public const string Name = "Global torch state";
}
