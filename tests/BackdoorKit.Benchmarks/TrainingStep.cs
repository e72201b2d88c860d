using BackdoorKit.Models;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// The bare training step the library's trainer is measured against: the model's own forward pass
/// (<see cref="BackdoorModel.Forward"/>, as the trainer calls it, with its choice of convolution layout), loss, backward
/// and optimizer step.
/// </summary>
internal static class TrainingStep
{
    /// <summary>One Adam step on a batch, in its own dispose scope, returning the loss as the trainer does.</summary>
    public static double Run(BackdoorModel model, optim.Optimizer optimizer, Tensor inputs, Tensor labels) =>
        Run(model, optimizer.zero_grad, () => optimizer.step(), inputs, labels);

    /// <summary>One step with any optimizer, given as its zero-gradient and step actions.</summary>
    public static double Run(BackdoorModel model, Action zeroGrad, Action step, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        zeroGrad();
        Tensor loss = nn.functional.cross_entropy(model.Forward(inputs), labels);
        double value = loss.item<float>();
        loss.backward();
        step();
        return value;
    }
}

/// <summary>
/// Few, single-invocation iterations in this process: each measured call is one or more whole training steps, so
/// BenchmarkDotNet's pilot and overhead stages would only add minutes (RunStrategy.Monitoring skips them).
/// </summary>
public sealed class TrainingStepConfig : ManualConfig
{
    public TrainingStepConfig() => AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithToolchain(InProcessEmitToolchain.Instance))
        .AddColumn(FloorColumn.All);
}
