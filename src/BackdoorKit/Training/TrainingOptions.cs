namespace BackdoorKit.Training;

/// <summary>
/// How a model is trained. Defaults are the paper's: Adam, learning rate 0.001, cross entropy, 20 epochs, batch 128
/// (use 32 for TinyImageNet). Every value is validated when it is set. These are part of an experiment's identity;
/// where it runs (<see cref="ComputeOptions"/>) is not.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Gets the paper's defaults.</summary>
    public static TrainingOptions Default { get; } = new();

    /// <summary>Gets the number of passes over the training set, in [1, 10000].</summary>
    public int Epochs
    {
        get;
        init => field = value is >= 1 and <= 10_000 ? value : throw Invalid(nameof(Epochs), value, "[1, 10000]");
    } = 20;

    /// <summary>Gets the training batch size, in [1, 65536].</summary>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536 ? value : throw Invalid(nameof(BatchSize), value, "[1, 65536]");
    } = 128;

    /// <summary>Gets the evaluation batch size, in [1, 65536].</summary>
    public int EvaluationBatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536 ? value : throw Invalid(nameof(EvaluationBatchSize), value, "[1, 65536]");
    } = 256;

    /// <summary>Gets the learning rate, in (0, 10].</summary>
    public double LearningRate
    {
        get;
        init => field = value is > 0 and <= 10 ? value : throw Invalid(nameof(LearningRate), value, "(0, 10]");
    } = 0.001;

    /// <summary>Gets the optimizer.</summary>
    public OptimizerKind Optimizer
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw Invalid(nameof(Optimizer), value, "Adam or Sgd");
    } = OptimizerKind.Adam;

    /// <summary>Gets the SGD momentum, in [0, 1); ignored by Adam.</summary>
    public double Momentum
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw Invalid(nameof(Momentum), value, "[0, 1)");
    } = 0.9;

    private static ArgumentOutOfRangeException Invalid(string name, object? value, string range) =>
        new(name, value, $"TrainingOptions.{name} must be in {range}; got {value}.");
}
