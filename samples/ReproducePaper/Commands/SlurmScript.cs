namespace ReproducePaper.Commands;

/// <summary>Writes a Slurm job-array script that runs each shard of a matrix into its own folder.</summary>
internal static class SlurmScript
{
    /// <summary>Builds the script.</summary>
    /// <param name="name">The matrix's name (names the result folders).</param>
    /// <param name="source">The options that name the matrix: <c>--preset NAME</c> or <c>--matrix FILE</c>.</param>
    /// <param name="shards">The number of shards (array tasks).</param>
    public static string For(string name, string source, int shards) => $$"""
            #!/bin/bash
            # Slurm job array: {{shards}} shards of the '{{name}}' matrix, one per array task.
            # Submit from the repository root after 'dotnet build samples/ReproducePaper -c Release': sbatch this-script.sh
            # Each task writes results/{{name}}/shard-<i>; afterwards combine them with
            #   dotnet samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll merge --out results/{{name}} --from results/{{name}}/shard-*
            #SBATCH --job-name=backdoorkit-{{name}}
            #SBATCH --array=0-{{shards - 1}}
            #SBATCH --cpus-per-task=8
            #SBATCH --gres=gpu:1
            #SBATCH --time=48:00:00
            #SBATCH --output=slurm-%A_%a.out
            set -euo pipefail
            dotnet samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll run {{source}} \
              --out "results/{{name}}/shard-${SLURM_ARRAY_TASK_ID}" --shard "${SLURM_ARRAY_TASK_ID}/{{shards}}"

            """;
}
