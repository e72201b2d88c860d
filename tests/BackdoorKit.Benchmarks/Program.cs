// Run with: dotnet run -c Release --project tests/BackdoorKit.Benchmarks -- --filter '*'
// Benchmarks run in this process (BenchmarkDotNet's in-process toolchain): LibTorch is configured once per process, so
// the oneDNN setting is chosen by BACKDOORKIT_ONEDNN before the run (docs/performance.md).
using BackdoorKit.Runtime;
using BenchmarkDotNet.Running;

NativeRuntimeInfo runtime = TorchRuntime.EnsureInitialized();
Console.WriteLine($"TorchSharp {runtime.TorchSharpVersion}, oneDNN {runtime.OneDnn} ({runtime.OneDnnReason}), {runtime.Threads} LibTorch threads");
BenchmarkSwitcher.FromAssembly(typeof(BackdoorKit.Benchmarks.TrainingStep).Assembly).Run(args);
