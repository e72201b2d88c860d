// Run with: dotnet run -c Release --project tests/BackdoorKit.Benchmarks -- --filter '*'
// Benchmarks run in this process (BenchmarkDotNet's in-process toolchain): LibTorch is configured once per process, so
// the oneDNN setting is chosen by BACKDOORKIT_ONEDNN before the run (docs/performance.md).
using BackdoorKit.Runtime;
using BenchmarkDotNet.Running;

// As the CLI does: restart once with glibc's huge-page tunable where that helps (BACKDOORKIT_HUGE_PAGES=off measures without).
HugePages.RestartWithHugePagesIfNeeded();
NativeRuntimeInfo runtime = TorchRuntime.EnsureInitialized();
Console.WriteLine(
    $"TorchSharp {runtime.TorchSharpVersion}, oneDNN {runtime.OneDnn} ({runtime.OneDnnReason}), {runtime.Threads} LibTorch threads, " +
    $"allocator {runtime.Allocator}");
BenchmarkSwitcher.FromAssembly(typeof(BackdoorKit.Benchmarks.TrainingStep).Assembly).Run(args);
BackdoorKit.Benchmarks.FeatureCacheBenchmarks.PrintBreakdown();
