using ReproducePaper.Commands;
using Spectre.Console.Cli;

namespace ReproducePaper.Cli;

/// <summary>
/// The program's commands: name, settings class, the description and examples <c>--help</c> shows, in the order help
/// lists them. Help texts are Spectre markup: no square brackets.
/// </summary>
internal static class CommandCatalog
{
    private static readonly Entry[] Entries =
    [
        Add<DataCommand, DataSettings>(
            "data",
            "Reads a dataset with the library's reader and summarizes it: split sizes, classes, source channels, native and model-input size, images per class.",
            "data --dataset mnist --path data/mnist"),
        Add<PreviewCommand, PreviewSettings>(
            "preview",
            "Writes one training image with the trigger drawn as the study draws it (on the protocol's canvas), at the model-input size and before normalization, as an 8-bit RGB PNG.",
            "preview --dataset mnist --path data/mnist --index 0 --size 0.08 --position bottom-right --color white --protocol paper-text --out preview.png"),
        Add<PlanCommand, PlanSettings>(
            "plan",
            "Counts a study's experiments per factor and estimates its compute (FLOP) and its time on this machine from measured steps of every distinct cell, before anything long starts; optionally writes a Slurm job-array script for N shards.",
            "plan --preset paper",
            "plan --preset paper --shards 100 --slurm study.sh --gpus 1 --time 1-00:00:00 --data /datasets"),
        Add<RunCommand, RunSettings>(
            "run",
            "Runs a preset or matrix file (or one shard of it) into a study folder, skipping the experiments already stored there; a rerun retries the failed ones.",
            "run --preset quick --out results/quick",
            "run --preset paper --out results/paper/shard-3 --shard 3/100 --device cuda"),
        Add<StatusCommand, StudyFolderSettings>(
            "status",
            "Counts a study folder's experiments done, failed and pending, overall and per factor value, and lists the failures.",
            "status --out results/quick"),
        Add<MergeCommand, MergeSettings>(
            "merge",
            "Combines the shard folders of one matrix into one study folder, refusing conflicting duplicates, and names the array tasks to resubmit for what is still missing.",
            "merge --out results/paper --from results/paper/shard-* --shards 100 --slurm study.sh"),
        Add<ExportCommand, ExportSettings>(
            "export",
            "Writes a study's results, or its failed experiments, as CSV or JSON, or a consistent single-file copy of its store as SQLite.",
            "export --out results/quick --format csv --file results.csv"),
        Add<ReportCommand, ReportSettings>(
            "report",
            "Turns a study folder's results into DIR/report: tables, figures, importance, findings and the report page.",
            "report --out results/quick"),
        Add<ExplainCommand, ExplainSettings>(
            "explain",
            "Restores (when run kept the models, --save-models) or retrains a backdoored experiment (by default the most successful) and its clean counterpart, and writes the Grad-CAM attention and feature-map figures to DIR/report/figures.",
            "explain --out results/quick"),
    ];

    /// <summary>The examples the program's own help shows: the quick study from plan to report.</summary>
    private static readonly string[] Study =
    [
        "plan --preset quick",
        "run --preset quick --out results/quick",
        "status --out results/quick",
        "report --out results/quick",
        "explain --out results/quick",
    ];

    /// <summary>Adds the commands, and the examples of the program's own help, to an application.</summary>
    /// <param name="configurator">The application's configurator.</param>
    public static void AddTo(IConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        foreach (string example in Study)
        {
            configurator.AddExample(example.Split(' '));
        }

        foreach (Entry entry in Entries)
        {
            entry.Register(configurator);
        }
    }

    /// <summary>Gets the options of the command a command line starts with.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The options; none for an unknown or missing command.</returns>
    public static IReadOnlyList<DeclaredOption> OptionsOf(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Type? settings = args.Count > 0 ? Entries.FirstOrDefault(e => e.Name == args[0])?.Settings : null;
        return settings is null ? [] : DeclaredOption.Of(settings);
    }

    private static Entry Add<TCommand, TSettings>(string name, string description, params string[] examples)
        where TCommand : Command<TSettings>
        where TSettings : CommandSettings =>
        new(name, typeof(TSettings), configurator =>
        {
            ICommandConfigurator command = configurator.AddCommand<TCommand>(name).WithDescription(description);
            foreach (string example in examples)
            {
                command.WithExample(example.Split(' '));
            }
        });

    /// <summary>A command: its name, its settings class, and how it is added to an application.</summary>
    private sealed record Entry(string Name, Type Settings, Action<IConfigurator> Register);
}
