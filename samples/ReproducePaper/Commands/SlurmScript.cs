using System.Globalization;
using System.Text;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// Writes a Slurm job-array script that runs each shard of a matrix into its own study folder (docs/cluster.md). Each
/// task changes to the job's absolute folder, checks the node's native runtime (<c>dotnet</c> on PATH, libstdc++ with
/// <see cref="RequiredGlibcxx"/>) and fails with one line without it, then <c>exec</c>s <c>run --shard i/N</c> with the
/// task's CPUs as threads, so Slurm's warning signal (SIGTERM <see cref="SlurmOptions.WarningSeconds"/> s before the
/// time limit) reaches the program, which stops cleanly and keeps every finished result.
/// </summary>
internal static class SlurmScript
{
    /// <summary>The libstdc++ symbol version TorchSharp 0.107's native library needs (GCC 13), as eng/install-native-runtime.sh checks.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>Builds the script. Every value it interpolates is quoted: for bash with <see cref="Shell.Quote(string)"/>, on <c>#SBATCH</c> lines with <see cref="Shell.SbatchQuote"/>.</summary>
    /// <param name="job">The matrix, its shards and where the tasks run.</param>
    /// <param name="options">The resources and run options (<c>plan --slurm</c>'s options).</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException">A name or path holds a control character such as a line break.</exception>
    /// <exception cref="UsageException">No <c>--time</c> and no estimate per shard.</exception>
    public static string For(SlurmJob job, SlurmOptions options)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        foreach ((string what, string value) in new[] { ("matrix name", job.Name), ("script path", job.ScriptPath), ("folder", job.WorkingDirectory), ("program path", job.Program) })
        {
            if (value.Any(char.IsControl))
            {
                throw new ArgumentException($"{what} '{value.ReplaceLineEndings(" ")}' holds a control character and cannot go into a script", nameof(job));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(job.Shards, 1);
        string count = job.Shards.ToString(CultureInfo.InvariantCulture);
        string results = Shell.Quote(job.ResultsFolder);
        string script = Shell.Word(job.ScriptPath);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            #!/bin/bash
            # Slurm job array: {{count}} shards of the {{Shell.Quote(job.Name)}} matrix, one per array task (written by 'ReproducePaper plan').
            # Submit all tasks:    sbatch {{script}}
            # Resubmit some:       sbatch --array=I,J {{script}}   ('merge --shards {{count}}' lists the incomplete ones)
            # Task i writes {{results}}/shard-i in {{Shell.Quote(job.WorkingDirectory)}}. When every task has ended, merge there:
            #   dotnet {{Shell.Quote(job.Program)}} merge --out {{results}} --from {{results}}/shard-* --shards {{count}} --slurm {{script}}

            """);
        foreach (string directive in Directives(job, options))
        {
            text.Append("#SBATCH ").Append(directive).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $$"""
            set -euo pipefail
            cd {{Shell.Quote(job.WorkingDirectory)}}
            # The node's native runtime, checked before anything starts (docs/cluster.md).
            if ! command -v dotnet >/dev/null 2>&1; then
              echo "error: dotnet is not on PATH on ${HOSTNAME:-this node}; install .NET 10 on the compute nodes or load its module before sbatch (docs/cluster.md)" >&2
              exit 1
            fi
            runtime=''
            IFS=: read -r -a libdirs <<< "${LD_LIBRARY_PATH:-}"
            for dir in "${libdirs[@]}" /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
              if [ -n "$dir" ] && [ -e "$dir/libstdc++.so.6" ] && grep -a -q {{RequiredGlibcxx}} "$dir/libstdc++.so.6"; then runtime=$dir; break; fi
            done
            if [ -z "$runtime" ]; then
              echo "error: no libstdc++ with {{RequiredGlibcxx}} on ${HOSTNAME:-this node} (TorchSharp needs GCC 13's C++ runtime); load a GCC 13+ module or put its lib folder on LD_LIBRARY_PATH before sbatch (docs/cluster.md)" >&2
              exit 1
            fi
            exec dotnet {{Shell.Quote(job.Program)}} run {{Shell.Quote(job.MatrixArguments)}} \
              --out {{results}}/shard-"$SLURM_ARRAY_TASK_ID" --shard "$SLURM_ARRAY_TASK_ID"/{{Shell.Quote(count)}} \
              --threads "$SLURM_CPUS_PER_TASK" --device {{Shell.Quote(options.Device)}}{{RunPaths(options)}}

            """);
        return text.ToString();
    }

    private static IEnumerable<string> Directives(SlurmJob job, SlurmOptions options)
    {
        yield return $"--job-name={Shell.SbatchQuote($"backdoorkit-{job.Name}")}";
        yield return string.Create(CultureInfo.InvariantCulture, $"--array=0-{job.Shards - 1}");
        yield return $"--chdir={Shell.SbatchQuote(job.WorkingDirectory)}";
        yield return "--output=slurm-%x-%A_%a.out";
        yield return string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={options.CpusPerTask}");
        if (options.Gpus > 0)
        {
            string gres = options.GpuType is null ? $"gpu:{options.Gpus}" : $"gpu:{options.GpuType}:{options.Gpus}";
            yield return $"--gres={Shell.SbatchQuote(gres)}";
        }

        if (options.Memory is not null)
        {
            yield return $"--mem={Shell.SbatchQuote(options.Memory)}";
        }

        yield return $"--time={SlurmOptions.FormatTime(options.TimeLimit(job.PerShardEstimate))}";
        yield return string.Create(CultureInfo.InvariantCulture, $"--signal=B:TERM@{SlurmOptions.WarningSeconds}");
        if (options.Partition is not null)
        {
            yield return $"--partition={Shell.SbatchQuote(options.Partition)}";
        }

        if (options.Account is not null)
        {
            yield return $"--account={Shell.SbatchQuote(options.Account)}";
        }

        foreach (string argument in options.SbatchArguments)
        {
            int equals = argument.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0 ? $"--{argument}" : $"--{argument[..equals]}={Shell.SbatchQuote(argument[(equals + 1)..])}";
        }
    }

    private static string RunPaths(SlurmOptions options) =>
        (options.Data is null ? string.Empty : $" --data {Shell.Quote(options.Data)}")
        + (options.Weights is null ? string.Empty : $" --weights {Shell.Quote(options.Weights)}");
}
