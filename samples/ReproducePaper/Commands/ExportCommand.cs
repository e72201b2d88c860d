using BackdoorKit.Results;
using ReproducePaper.Cli;
using Spectre.Console.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>export</c> (<see cref="ExportSettings"/>): the study's results (or, with <c>--failures</c>, its failed
/// experiments) in a flat file, or a consistent single-file copy of the store. The file is written atomically and may
/// not be one of the study's own files.
/// </summary>
internal sealed class ExportCommand : Command<ExportSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        string folder = settings.Out;
        string format = settings.FormatName;
        string file = settings.File;
        CheckTarget(folder, file);
        using var store = StudyFolder.OpenExistingStore(folder);
        if (format == "sqlite")
        {
            string temporary = file + ".tmp";
            File.Delete(temporary);
            store.BackupTo(temporary);
            File.Move(temporary, file, overwrite: true);
            Terminal.Line($"wrote a consistent copy of {store.Path} to {file}");
            return 0;
        }

        if (settings.Failures)
        {
            var failed = store.ReadFailures();
            ResultExporter.WriteFile(failed, file, format);
            Terminal.Line($"wrote {failed.Count} failed experiment(s) to {file}");
            return 0;
        }

        var results = store.ReadAll();
        StudyFolder.WarnDamaged(store);
        ResultExporter.WriteFile(results, file, format);
        Terminal.Line($"wrote {results.Count} result(s) to {file}");
        int failedCount = store.ReadFailures().Count;
        if (failedCount > 0)
        {
            Terminal.Line($"{failedCount} experiment(s) failed and have no result; export them with --failures");
        }

        return 0;
    }

    private static void CheckTarget(string folder, string file)
    {
        string target = Path.GetFullPath(file);
        if (File.Exists(target) && new FileInfo(target).ResolveLinkTarget(returnFinalTarget: true) is { } linked)
        {
            target = linked.FullName;
        }

        if (Directory.Exists(target))
        {
            throw new UsageException($"option --file '{file}' is a folder; give a file name");
        }

        string studyFolder = Path.GetFullPath(folder);
        string? own = StudyFolder.OwnFiles.FirstOrDefault(name =>
            string.Equals(Path.Combine(studyFolder, name), target, StringComparison.Ordinal)
            || string.Equals(Path.Combine(studyFolder, name) + ".tmp", target, StringComparison.Ordinal));
        if (own is not null)
        {
            throw new UsageException($"option --file '{file}' is the study's own {own}; export to another file");
        }

        string? parent = Path.GetDirectoryName(target);
        if (parent is null || !Directory.Exists(parent))
        {
            throw new UsageException($"option --file '{file}': its folder '{parent}' does not exist");
        }
    }
}
