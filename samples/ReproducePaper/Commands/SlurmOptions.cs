using System.Globalization;
using System.Text.RegularExpressions;
using ReproducePaper.Cli;

namespace ReproducePaper.Commands;

/// <summary>
/// The options of <c>plan --shards N --slurm FILE</c> (<see cref="PlanSettings"/>) that shape the job-array script: what each task asks Slurm for
/// (<c>--gpus</c>, <c>--cpus-per-task</c>, <c>--mem</c>, <c>--time</c>, <c>--partition</c>, <c>--account</c>, repeated
/// <c>--sbatch-arg</c>) and what it passes to <c>run</c> (<c>--data</c>, <c>--weights</c>, <c>--device</c>). Every option is
/// checked when it is parsed; a bad one is a one-line <see cref="UsageException"/> naming the option, the value and the
/// allowed form.
/// </summary>
internal sealed partial record SlurmOptions
{
    /// <summary>The CPUs each task asks for when <c>--cpus-per-task</c> is not given.</summary>
    public const int DefaultCpusPerTask = 8;

    /// <summary>Seconds before the time limit at which Slurm sends SIGTERM, so the program stops cleanly and keeps its results.</summary>
    public const int WarningSeconds = 120;

    /// <summary>
    /// The <c>#SBATCH</c> options the script sets from dedicated options (or itself); <c>--sbatch-arg</c> may not set
    /// them, so one value never silently overrides another.
    /// </summary>
    private static readonly Dictionary<string, string> Managed = new(StringComparer.Ordinal)
    {
        ["array"] = "the script's array (resubmit some tasks with 'sbatch --array=3,7 FILE')",
        ["job-name"] = "the script (backdoorkit-<matrix>)",
        ["chdir"] = "the script (the folder plan ran in)",
        ["output"] = "the script",
        ["signal"] = "the script",
        ["cpus-per-task"] = "--cpus-per-task",
        ["gres"] = "--gpus",
        ["gpus"] = "--gpus",
        ["mem"] = "--mem",
        ["time"] = "--time",
        ["partition"] = "--partition",
        ["account"] = "--account",
    };

    /// <summary>Gets the GPUs per task (<c>--gpus N</c> or <c>--gpus TYPE:N</c>); 0 is a CPU job that asks for no GPU.</summary>
    public int Gpus { get; init; } = 1;

    /// <summary>Gets the GPU type (<c>--gpus a100:2</c>), or null for any.</summary>
    public string? GpuType { get; init; }

    /// <summary>Gets the CPUs per task; the task trains with that many threads (<c>$SLURM_CPUS_PER_TASK</c>).</summary>
    public int CpusPerTask { get; init; } = DefaultCpusPerTask;

    /// <summary>Gets the memory per node in Slurm's form (<c>32G</c>), or null for the partition's default.</summary>
    public string? Memory { get; init; }

    /// <summary>Gets the time limit per task, or null for the plan's estimate per shard with a margin (<see cref="TimeLimit"/>).</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>Gets the partition(s), or null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Gets the account to charge, or null for the user's default.</summary>
    public string? Account { get; init; }

    /// <summary>Gets further sbatch options, each <c>NAME</c> or <c>NAME=VALUE</c> without the leading dashes (<c>qos=long</c>).</summary>
    public IReadOnlyList<string> SbatchArguments { get; init; } = [];

    /// <summary>Gets the absolute data root each task passes to <c>run --data</c>, or null for <c>run</c>'s default (<c>data</c>).</summary>
    public string? Data { get; init; }

    /// <summary>Gets the absolute weights folder each task passes to <c>run --weights</c>, or null for none.</summary>
    public string? Weights { get; init; }

    /// <summary>Gets the device asked for with <c>--device</c>, or null for the default (<see cref="Device"/>).</summary>
    public string? RequestedDevice { get; init; }

    /// <summary>Gets the device each task passes to <c>run --device</c>: the one asked for, else <c>cuda</c> with GPUs and <c>cpu</c> without.</summary>
    public string Device => RequestedDevice ?? (Gpus > 0 ? "cuda" : "cpu");

    /// <summary>Reads the options from the settings of <c>plan</c>; relative paths are made absolute.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The options.</returns>
    /// <exception cref="UsageException">An option is malformed, or <c>--device</c> contradicts <c>--gpus</c>.</exception>
    public static SlurmOptions From(PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        (int gpus, string? gpuType) = ParseGpus(settings.Gpus);
        OptionValue.InRange("--cpus-per-task", settings.CpusPerTask, 1, 4096);
        var options = new SlurmOptions
        {
            Gpus = gpus,
            GpuType = gpuType,
            CpusPerTask = settings.CpusPerTask ?? DefaultCpusPerTask,
            Memory = Checked("mem", settings.Mem, MemoryForm(), "a positive integer with an optional unit K, M, G or T (megabytes without one), e.g. 32G"),
            Time = settings.Time is { } time ? ParseTime(time) : null,
            Partition = Checked("partition", settings.Partition, PartitionForm(), "letters, digits, '_', '-', '.' (several partitions separated by commas)"),
            Account = Checked("account", settings.Account, AccountForm(), "letters, digits, '_', '-', '.'"),
            SbatchArguments = [.. settings.SbatchArgs.Select(CheckSbatchArgument)],
            Data = FullPath("data", settings.Data),
            Weights = FullPath("weights", settings.Weights),
            RequestedDevice = OptionValue.Device("--device", settings.Device),
        };
        return options.RequestedDevice switch
        {
            { } d when d.StartsWith("cuda", StringComparison.Ordinal) && gpus == 0 =>
                throw new UsageException($"option --device '{d}' needs --gpus 1 or more: with --gpus 0 the tasks get no GPU"),
            "cpu" when gpus > 0 =>
                throw new UsageException($"option --device 'cpu' would leave the {gpus} GPU(s) of each task idle; give --gpus 0 for a CPU job"),
            _ => options,
        };
    }

    /// <summary>
    /// Gets the time limit per task: <c>--time</c> when given, else twice the estimate per shard plus 10 minutes, in whole
    /// minutes (the estimate is a lower bound, and a task that runs out of time is stopped and must be resubmitted).
    /// </summary>
    /// <param name="perShardEstimate">The plan's estimate for the largest shard, or null when it has none.</param>
    /// <returns>The time limit.</returns>
    /// <exception cref="UsageException">No <c>--time</c> and no estimate.</exception>
    public TimeSpan TimeLimit(TimeSpan? perShardEstimate)
    {
        if (Time is { } time)
        {
            return time;
        }

        if (perShardEstimate is not { } estimate)
        {
            throw new UsageException("option --time is required: this plan has no time estimate per shard");
        }

        double minutes = Math.Ceiling((2 * estimate.TotalMinutes) + 10);
        return TimeSpan.FromMinutes(Math.Min(minutes, TimeSpan.FromDays(365).TotalMinutes));
    }

    /// <summary>
    /// Warns on stderr when a GPU job's time limit comes from the estimate: it is measured on the CPU of the machine
    /// that plans, so a GPU task usually needs far less, and a limit above the partition's maximum keeps it pending.
    /// </summary>
    /// <param name="perShardEstimate">The plan's estimate for the largest shard.</param>
    public void WarnAboutDefaultTime(TimeSpan? perShardEstimate)
    {
        if (Time is null && Gpus > 0)
        {
            Console.Error.WriteLine(
                $"note: the Slurm time limit {FormatTime(TimeLimit(perShardEstimate))} per task comes from this machine's CPU estimate; GPU tasks are usually much faster: give --time (and check the partition's MaxTime with 'sinfo -o \"%P %l\"')");
        }
    }

    /// <summary>Formats a time limit the way Slurm reads it: <c>D-HH:MM:SS</c>.</summary>
    /// <param name="time">The time limit.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(TimeSpan time) => string.Create(
        CultureInfo.InvariantCulture, $"{(int)time.TotalDays}-{time.Hours:00}:{time.Minutes:00}:{time.Seconds:00}");

    /// <summary>Parses a Slurm time limit: <c>M</c>, <c>M:S</c>, <c>H:M:S</c>, <c>D-H</c>, <c>D-H:M</c> or <c>D-H:M:S</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The time limit, more than zero and at most 365 days.</returns>
    /// <exception cref="UsageException">The text is not one of those forms, or out of range.</exception>
    public static TimeSpan ParseTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match m = TimeForm().Match(text);
        TimeSpan? time = null;
        if (m.Success)
        {
            int first = int.Parse(m.Groups["first"].Value, CultureInfo.InvariantCulture);
            int[] rest = [.. m.Groups["rest"].Captures.Select(c => int.Parse(c.Value, CultureInfo.InvariantCulture))];
            bool withDays = m.Groups["days"].Success;
            int days = withDays ? int.Parse(m.Groups["days"].Value, CultureInfo.InvariantCulture) : 0;
            (int hours, int minutes, int seconds) = (withDays, rest.Length) switch
            {
                (true, _) => (first, rest.ElementAtOrDefault(0), rest.ElementAtOrDefault(1)),
                (false, 0) => (0, first, 0),
                (false, 1) => (0, first, rest[0]),
                _ => (first, rest[0], rest[1]),
            };
            if (rest.All(v => v < 60) && (!withDays || hours < 24))
            {
                time = new TimeSpan(days, hours, minutes, seconds);
            }
        }

        return time is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromDays(365)
            ? t
            : throw new UsageException(
                $"option --time '{text}' is not a Slurm time limit; use MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES or DAYS-HOURS:MINUTES:SECONDS (more than 0, at most 365 days), e.g. 90 or 1-12:00:00");
    }

    private static (int Count, string? Type) ParseGpus(string? text)
    {
        if (text is null)
        {
            return (1, null);
        }

        Match m = GpusForm().Match(text);
        return m.Success && int.TryParse(m.Groups["count"].Value, CultureInfo.InvariantCulture, out int count) && count <= 64
               && (count > 0 || !m.Groups["type"].Success)
            ? (count, m.Groups["type"].Success ? m.Groups["type"].Value : null)
            : throw new UsageException($"option --gpus '{text}' is not valid; use N or TYPE:N with N in [0, 64] (0: a CPU job), e.g. 1 or a100:2");
    }

    private static string CheckSbatchArgument(string text)
    {
        Match m = SbatchArgumentForm().Match(text);
        if (!m.Success || text.Any(char.IsControl))
        {
            throw new UsageException($"option --sbatch-arg '{text.ReplaceLineEndings(" ")}' is not valid; use NAME or NAME=VALUE, a long sbatch option without its dashes, e.g. qos=long or exclusive");
        }

        return Managed.TryGetValue(m.Groups["name"].Value, out string? owner)
            ? throw new UsageException($"option --sbatch-arg '{text}' sets --{m.Groups["name"].Value}, which is set by {owner}")
            : text;
    }

    private static string? Checked(string option, string? text, Regex form, string allowed) =>
        text is null || form.IsMatch(text) ? text : throw new UsageException($"option --{option} '{text}' is not valid; use {allowed}");

    private static string? FullPath(string option, string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return !path.Any(char.IsControl) ? Path.GetFullPath(path) : throw new ArgumentException("control character");
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"option --{option} '{path.ReplaceLineEndings(" ")}' is not a usable path (no control characters)");
        }
    }

    [GeneratedRegex("^(?:(?<type>[A-Za-z0-9_.-]+):)?(?<count>[0-9]{1,3})$")]
    private static partial Regex GpusForm();

    [GeneratedRegex("^[1-9][0-9]{0,8}[KMGTkmgt]?$")]
    private static partial Regex MemoryForm();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}(?:,[A-Za-z0-9_.-]{1,64})*$")]
    private static partial Regex PartitionForm();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex AccountForm();

    [GeneratedRegex("^(?<name>[a-z][a-z0-9-]*)(?:=(?<value>.+))?$", RegexOptions.Singleline)]
    private static partial Regex SbatchArgumentForm();

    [GeneratedRegex("^(?:(?<days>[0-9]{1,3})-)?(?<first>[0-9]{1,7})(?::(?<rest>[0-9]{1,2})){0,2}$")]
    private static partial Regex TimeForm();
}
