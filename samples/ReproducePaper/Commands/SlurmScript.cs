using System.Globalization;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>Writes a Slurm job-array script that runs each shard of a matrix into its own folder.</summary>
internal static class SlurmScript
{
    private const string Dll = "samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll";

    /// <summary>Builds the script; every value it interpolates is single-quoted (<see cref="Shell.Quote(string)"/>).</summary>
    /// <param name="name">The matrix's name (names the result folders); no control characters, since it also goes into comments.</param>
    /// <param name="matrixArguments">The arguments that name the matrix: <c>--preset NAME</c> or <c>--matrix FILE</c>.</param>
    /// <param name="shards">The number of shards (array tasks), at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> holds a control character such as a line break.</exception>
    public static string For(string name, IReadOnlyList<string> matrixArguments, int shards)
    {
        if (name.Any(char.IsControl))
        {
            throw new ArgumentException($"matrix name '{name.ReplaceLineEndings(" ")}' holds a control character and cannot go into a script", nameof(name));
        }

        string results = Shell.Quote($"results/{name}");
        string count = shards.ToString(CultureInfo.InvariantCulture);
        return $$"""
            #!/bin/bash
            # Slurm job array: {{count}} shards of the {{Shell.Quote(name)}} matrix, one per array task.
            # Submit from the repository root after 'dotnet build samples/ReproducePaper -c Release': sbatch this-script.sh
            # Each task writes {{results}}/shard-<i>; afterwards combine them with
            #   dotnet {{Dll}} merge --out {{results}} --from {{results}}/shard-*
            #SBATCH --job-name={{Shell.Quote($"backdoorkit-{name}")}}
            #SBATCH --array=0-{{shards - 1}}
            #SBATCH --cpus-per-task=8
            #SBATCH --gres=gpu:1
            #SBATCH --time=48:00:00
            #SBATCH --output=slurm-%A_%a.out
            set -euo pipefail
            dotnet {{Shell.Quote(Dll)}} run {{Shell.Quote(matrixArguments)}} \
              --out {{results}}/shard-"${SLURM_ARRAY_TASK_ID}" --shard "${SLURM_ARRAY_TASK_ID}"/{{Shell.Quote(count)}}

            """;
    }
}
