using System.ComponentModel;
using BackdoorKit.Experiments;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>The options that name a study's matrix, shared by <c>plan</c> and <c>run</c>: <c>--preset</c> or <c>--matrix</c>, exactly one.</summary>
internal abstract class MatrixSettings : CommandSettings
{
    /// <summary>Gets the preset's name.</summary>
    [CommandOption("--preset <NAME>")]
    [Description("A shipped matrix: quick, paper or defenses (docs/reproducing-the-paper.md, docs/defenses.md). Give it or --matrix.")]
    public string? Preset { get; init; }

    /// <summary>Gets the matrix file.</summary>
    [CommandOption("--matrix <FILE>")]
    [Description("A matrix file (JSON, docs/reproducing-the-paper.md). Give it or --preset.")]
    public string? Matrix { get; init; }

    /// <summary>Loads the matrix named by <c>--preset</c> or <c>--matrix</c>.</summary>
    /// <returns>The matrix, and the arguments that name it for scripts that rerun it (<c>--matrix</c> with the full path).</returns>
    /// <exception cref="UsageException">Neither or both are given, the preset is unknown, or the file does not exist.</exception>
    public (ExperimentMatrix Matrix, IReadOnlyList<string> Arguments) LoadMatrix()
    {
        CheckMatrix();
        if (Preset is not null)
        {
            ExperimentMatrix preset = OptionValue.Parse("--preset", Preset, KnownMatrices.Get);
            return (preset, ["--preset", preset.Name]);
        }

        return (ExperimentMatrix.Load(Matrix!), ["--matrix", Path.GetFullPath(Matrix!)]);
    }

    /// <summary>Checks that exactly one of <c>--preset</c> and <c>--matrix</c> is given and names a matrix that exists, without loading a file.</summary>
    /// <exception cref="UsageException">Neither or both are given, the preset is unknown, or the file does not exist.</exception>
    protected void CheckMatrix()
    {
        switch (Preset, Matrix)
        {
            case (null, null):
                throw new UsageException("give --preset quick|paper|defenses or --matrix FILE.json");
            case (not null, not null):
                throw new UsageException("give either --preset or --matrix, not both");
            case (not null, _):
                _ = OptionValue.Parse("--preset", Preset, KnownMatrices.Get);
                break;
            case (_, not null) when !File.Exists(Matrix):
                throw new UsageException($"{Matrix}: matrix file not found");
        }
    }
}
