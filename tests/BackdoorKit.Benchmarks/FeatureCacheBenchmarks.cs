using System.Collections.Concurrent;
using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Features;
using BackdoorKit.Training;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BackdoorKit.Benchmarks;

/// <summary>
/// Whole experiments (<see cref="ExperimentRunner.Run"/>: build the model with its ImageNet weights, poison, train,
/// evaluate clean and triggered test images) with and without the frozen-feature cache, as a study runs them one after
/// another: the ImageNet ResNet-18 of the NuGet package (<c>resnet18-imagenet-cntk</c>, pretrained) at 64 px on
/// synthetic MNIST-format digits (<see cref="SyntheticMnist"/>), a white trigger of 8 % in the bottom-right corner, 2 %
/// poisoned, 2 epochs of Adam at batch 64, on 1,024 training and 256 test images for <c>linear-probe</c> (the head
/// trains) and 256 and 128 for <c>train-last-1-stages</c> (layer4 and the head train).
/// <c>Recomputed</c> runs every experiment on images (<see cref="FeatureCacheOptions.Off"/>); <c>Cached</c> runs it on a
/// runner whose cache a first experiment with the same trigger filled (the steady state of a study); <c>Cold</c> is that
/// first experiment, on a fresh runner each iteration. Each call uses a new seed, so the poisoned rows differ from the
/// previous call's as between a study's repetitions (their few new triggered rows are computed then).
/// </summary>
[Config(typeof(FeatureCacheConfig))]
public class FeatureCacheBenchmarks
{

    private static readonly ConcurrentDictionary<string, List<ExperimentResult>> Results = new();

    private string dataFolder = null!;
    private ExperimentRunner? runner;
    private int seed;
    private string method = "";

    /// <summary>Gets the strategies to run: both, or those listed in BACKDOORKIT_BENCHMARK_STRATEGIES (comma-separated).</summary>
    public static IEnumerable<string> Strategies =>
        Environment.GetEnvironmentVariable("BACKDOORKIT_BENCHMARK_STRATEGIES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["linear-probe", "train-last-1-stages"];

    [ParamsSource(nameof(Strategies))]
    public string Strategy { get; set; } = "linear-probe";

    // Training layer4 costs about as much per step as the whole prefix's forward pass, so the last-stage strategy runs
    // on a quarter of the images to keep the class within minutes on 2 cores.
    private int TrainCount => Strategy == "linear-probe" ? 1024 : 256;

    private int TestCount => Strategy == "linear-probe" ? 256 : 128;

    [GlobalSetup(Target = nameof(Recomputed))]
    public void SetupRecomputed()
    {
        WriteData(nameof(Recomputed));
        runner = NewRunner(FeatureCacheOptions.Off);
    }

    [GlobalSetup(Target = nameof(Cached))]
    public void SetupCached()
    {
        WriteData(nameof(Cached));
        runner = NewRunner(FeatureCacheOptions.Default);
        ExperimentResult first = runner.Run(Spec(seed++));
        Console.WriteLine($"// {Strategy}: cache filled by a first experiment in {first.DurationSeconds:F1} s ({first.FeatureCache}), {runner.FeatureCache.Bytes / 1e6:F1} MB held");
    }

    [GlobalSetup(Target = nameof(Cold))]
    public void SetupCold() => WriteData(nameof(Cold));

    [IterationSetup(Target = nameof(Cold))]
    public void NewColdRunner()
    {
        runner?.Dispose();
        runner = NewRunner(FeatureCacheOptions.Default);
    }

    /// <summary>Every experiment runs its whole network on images.</summary>
    [Benchmark(Baseline = true)]
    public double Recomputed() => Run();

    /// <summary>Steady state: the cache holds the clean features and those of the trigger.</summary>
    [Benchmark]
    public double Cached() => Run();

    /// <summary>The first experiment of a fresh runner: it computes and stores every feature it uses.</summary>
    [Benchmark]
    public double Cold() => Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        runner?.Dispose();
        runner = null;
        Directory.Delete(dataFolder, recursive: true);
    }

    /// <summary>
    /// Prints, per case, the cache status of its measured experiments and where their time went (as the results record
    /// it; the first experiment of each case, BenchmarkDotNet's warm-up, is left out).
    /// </summary>
    public static void PrintBreakdown()
    {
        foreach ((string key, List<ExperimentResult> all) in Results.OrderBy(r => r.Key, StringComparer.Ordinal).Where(r => r.Value.Count > 1))
        {
            ExperimentResult[] results = [.. all.Skip(1)];
            string statuses = string.Join(", ", results.GroupBy(r => r.FeatureCache).Select(g => $"{g.Key} x{g.Count()}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// {key}: {results.Length} experiments ({statuses}); mean {results.Average(r => r.DurationSeconds):F2} s = " +
                $"train {results.Average(r => r.TrainSeconds):F2} s + evaluate {results.Average(r => r.EvaluationSeconds):F2} s + " +
                $"model, data and poisoning {results.Average(r => r.DurationSeconds - r.TrainSeconds - r.EvaluationSeconds):F2} s; " +
                $"clean accuracy {results.Average(r => r.CleanAccuracy):P1}, attack success {results.Average(r => r.AttackSuccessRate ?? double.NaN):P1}"));
        }
    }

    private double Run()
    {
        ExperimentResult result = runner!.Run(Spec(seed++));
        Results.GetOrAdd($"{Strategy}/{method}", _ => []).Add(result);
        return result.CleanAccuracy;
    }

    private ExperimentSpec Spec(int experimentSeed) => new()
    {
        Dataset = "mnist",
        Model = "resnet18-imagenet-cntk",
        Weights = "pretrained",
        FreezeStrategy = Strategy,
        Protocol = "paper-text",
        Trigger = new TriggerSpec(0.08, "bottom-right", "#FFFFFF"),
        PoisoningRate = 0.02,
        TargetClass = 0,
        Seed = experimentSeed,
        InputSize = 64,
        TrainLimit = TrainCount,
        TestLimit = TestCount,
        Training = TrainingOptions.Default with { Epochs = 2, BatchSize = 64 },
    };

    private ExperimentRunner NewRunner(FeatureCacheOptions cache) => new(new ExperimentRunnerOptions
    {
        DataPaths = new Dictionary<string, string> { ["mnist"] = dataFolder },
        FeatureCache = cache,
    });

    private void WriteData(string benchmark)
    {
        method = benchmark;
        dataFolder = Path.Combine(Path.GetTempPath(), "backdoorkit-feature-cache-" + Guid.NewGuid().ToString("N"));
        SyntheticMnist.Write(dataFolder, TrainCount, TestCount);
    }
}

/// <summary>
/// One launch, one warm-up and three measured iterations of one experiment each, in this process (the experiments take
/// seconds to minutes, so BenchmarkDotNet's pilot and overhead stages are skipped, and a case may take up to 30 minutes
/// instead of the in-process default of 5), with experiments per hour and the speed-up over <c>Recomputed</c> next to
/// each mean.
/// </summary>
public sealed class FeatureCacheConfig : ManualConfig
{
    public FeatureCacheConfig() => AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)))
        .AddColumn(ThroughputColumn.All);
}
