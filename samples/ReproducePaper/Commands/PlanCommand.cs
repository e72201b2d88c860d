using System.Globalization;
using System.Text.Json;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>plan --preset quick|paper | --matrix FILE.json [--json] [--shards N --slurm FILE.sh]</c>: experiment counts per
/// factor and the estimated compute, before anything long starts; optionally a Slurm job-array script for N shards.
/// </summary>
internal static class PlanCommand
{
    public static int Run(CommandLine line)
    {
        (ExperimentMatrix matrix, IReadOnlyList<string> source) = StudyFolder.MatrixAndArguments(line);
        bool json = line.Flag("json");
        int shards = line.Int("shards", 1, 1, 100_000);
        string? slurm = line.Optional("slurm");
        SlurmOptions? slurmOptions = slurm is null ? null : SlurmOptions.Parse(line);
        line.RejectUnknown();
        if (slurm is not null && shards < 2)
        {
            throw new UsageException("option --slurm needs --shards N with N >= 2");
        }

        ExperimentPlan plan = matrix.Expand();
        double flopPerSecond = ComputeEstimator.CalibrateFlopPerSecond(TimeSpan.FromSeconds(1));
        ComputeEstimate estimate = ComputeEstimator.Estimate(plan.All, flopPerSecond);
        if (slurm is not null)
        {
            var perShard = TimeSpan.FromSeconds(Enumerable.Range(0, shards).Max(i => ComputeEstimator.Estimate(plan.Shard(i, shards), flopPerSecond).Seconds));
            File.WriteAllText(slurm, SlurmScript.For(SlurmJob.FromHere(matrix.Name, source, shards, perShard, slurm), slurmOptions!));
            slurmOptions!.WarnAboutDefaultTime(perShard);
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(
                new
                {
                    matrix = matrix.Name,
                    total = plan.All.Count,
                    backdoored = plan.Backdoored.Count,
                    clean = plan.Clean.Count,
                    freezeStudy = plan.FreezeStudy.Count,
                    shards,
                    perShard = (int)Math.Ceiling(plan.All.Count / (double)shards),
                    estimatedFlop = estimate.Flop,
                    calibratedFlopPerSecond = estimate.FlopPerSecond,
                    estimatedSeconds = estimate.Seconds,
                    slurmScript = slurm,
                },
                BackdoorKit.BackdoorKitJson.Options));
            return 0;
        }

        Terminal.Line($"{matrix.Name}: {plan.All.Count} experiments = {plan.Backdoored.Count} backdoored + {plan.Clean.Count} clean baselines + {plan.FreezeStudy.Count} freeze study");
        Terminal.Table(
            "experiments per factor",
            ["factor", "value", "experiments"],
            Factors.Of(plan.All).Select(f => (IReadOnlyList<string>)[f.Factor, f.Value, f.Specs.Count().ToString(CultureInfo.InvariantCulture)]));
        Terminal.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"estimated compute: {estimate.Flop:E2} FLOP; at this machine's measured {estimate.FlopPerSecond / 1e9:F1} GFLOP/s " +
            $"(fp32 GEMM, {TorchSharp.torch.get_num_threads()} threads) at least {Duration(estimate.Seconds)}"));
        if (shards > 1)
        {
            Terminal.Line($"{shards} shards of at most {(int)Math.Ceiling(plan.All.Count / (double)shards)} experiments" + (slurm is null ? string.Empty : $"; Slurm script: {slurm}"));
        }

        return 0;
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min"),
        < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F1} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400:F0} days"),
    };
}
