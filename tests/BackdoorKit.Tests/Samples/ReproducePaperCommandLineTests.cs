using System.Globalization;
using System.Text.RegularExpressions;
using BackdoorKit.Experiments.Estimation;
using BackdoorKit.Explainability;
using BackdoorKit.Tests.Reliability;
using ReproducePaper.Cli;
using ReproducePaper.Commands;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// The command line as Spectre.Console.Cli parses it: generated help per command, with every option of the commands'
/// settings and no other; the help exit codes; unknown options and bad values refused with one line naming them.
/// </summary>
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed partial class ReproducePaperCommandLineTests
{
    /// <summary>Each command with the options it had before the move to Spectre.Console.Cli.</summary>
    private static readonly (string Command, string[] Options)[] Commands =
    [
        ("data", ["--dataset", "--path", "--json"]),
        ("preview", ["--dataset", "--path", "--index", "--size", "--position", "--color", "--protocol", "--family", "--image", "--out"]),
        ("plan",
        [
            "--preset", "--matrix", "--json", "--no-calibration", "--budget", "--threads", "--shards", "--slurm", "--gpus",
            "--cpus-per-task", "--mem", "--time", "--partition", "--account", "--sbatch-arg", "--data", "--weights", "--device",
        ]),
        ("run", ["--preset", "--matrix", "--out", "--shard", "--parallel", "--threads", "--device", "--data", "--weights", "--save-models", "--cache-gib", "--defense"]),
        ("status", ["--out"]),
        ("merge", ["--out", "--from", "--shards", "--slurm"]),
        ("export", ["--out", "--format", "--file", "--failures"]),
        ("report", ["--out", "--asr"]),
        ("explain", ["--out", "--experiment", "--index", "--data", "--weights", "--channels"]),
    ];

    /// <summary>Each command with options that pass its checks, so that what is added to them is what fails.</summary>
    private static readonly string[][] Valid =
    [
        ["data", "--dataset", "mnist", "--path", "data/mnist"],
        ["preview", "--dataset", "mnist", "--path", "data/mnist", "--index", "0", "--size", "0.08", "--position", "middle", "--color", "white", "--protocol", "paper-text", "--out", "p.png"],
        ["plan", "--preset", "quick"],
        ["run", "--preset", "quick", "--out", "study"],
        ["status", "--out", "study"],
        ["merge", "--out", "study", "--from", "shard-0"],
        ["export", "--out", "study", "--format", "csv", "--file", "r.csv"],
        ["report", "--out", "study"],
        ["explain", "--out", "study"],
    ];

    public static TheoryData<string, string[]> CommandOptions
    {
        get
        {
            var data = new TheoryData<string, string[]>();
            foreach ((string command, string[] options) in Commands)
            {
                data.Add(command, options);
            }

            return data;
        }
    }

    public static TheoryData<string[]> ValidCommandLines
    {
        get
        {
            var data = new TheoryData<string[]>();
            foreach (string[] args in Valid)
            {
                data.Add(args);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CommandOptions))]
    public void CommandHelp_ExitsZero_AndListsExactlyTheCommandsOptions(string command, string[] options)
    {
        foreach (string[] args in new[] { new[] { command, "--help" }, new[] { command, "-h" }, new[] { "help", command } })
        {
            (int code, string output, string error) = ConsoleCapture.Run(args);

            code.Should().Be(0, string.Join(' ', args));
            error.Should().BeEmpty();
            output.Should().Contain($"ReproducePaper {command} [OPTIONS]");
            OptionsListed(output).Should().BeEquivalentTo([.. options, "--help"], string.Join(' ', args));
        }
    }

    [Fact]
    public void CommandHelp_StatesTheDefaultsTheCommandsUse()
    {
        string plan = OneLine(ConsoleCapture.Run("plan", "--help").Output);
        string explain = OneLine(ConsoleCapture.Run("explain", "--help").Output);

        plan.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"0.1 to 600 (default {StepCalibrationOptions.Default.BudgetPerCell.TotalSeconds})"));
        plan.Should().Contain($"each task trains with that many threads (default {SlurmOptions.DefaultCpusPerTask})");
        explain.Should().Contain($"1 to 256 (default {AttentionFigureOptions.Default.Channels})");
    }

    [Fact]
    public void NoArguments_PrintsTheUsageWithEveryCommand_AndExitsTwo()
    {
        (int code, string output, string error) = ConsoleCapture.Run();

        code.Should().Be(2);
        error.Should().BeEmpty();
        output.Should().Contain("ReproducePaper [OPTIONS] <COMMAND>").And.Contain("EXIT CODES:");
        output.Should().ContainAll(Commands.Select(c => $"    {c.Command} "));
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_PrintsTheUsage_AndExitsZero(string help)
    {
        (int code, string output, _) = ConsoleCapture.Run(help);

        code.Should().Be(0);
        output.Should().Contain("ReproducePaper [OPTIONS] <COMMAND>").And.Contain("130");
    }

    [Theory]
    [MemberData(nameof(ValidCommandLines))]
    public void UnknownOption_ExitsTwo_NamingItAndTheCommand(string[] args)
    {
        (int code, string output, string error) = ConsoleCapture.Run([.. args, "--bogus", "1"]);

        code.Should().Be(2);
        output.Should().BeEmpty("nothing runs");
        error.Should().Be($"error: unknown option --bogus for '{args[0]}'; 'ReproducePaper {args[0]} --help' lists its options{Environment.NewLine}");
    }

    [Theory]
    [InlineData("run", "--shard", "3/2", "option --shard '3/2' is not valid; use i/N with 0 <= i < N")]
    [InlineData("preview", "--position", "diagonal", "option --position 'diagonal' is not allowed; allowed: top-left, top-right, middle, bottom-left, bottom-right")]
    [InlineData("preview", "--color", "teal", "option --color: color 'teal' is not valid; allowed: black, white, green, or #RRGGBB")]
    [InlineData("preview", "--dataset", "imagenet", "option --dataset: dataset 'imagenet' is unknown; known: mnist, mnist-sample, cifar10, tinyimagenet, folder")]
    [InlineData("run", "--device", "tpu", "option --device 'tpu' is not allowed; allowed: auto, cpu, cuda, cuda:N")]
    [InlineData("export", "--format", "xml", "option --format 'xml' is not allowed; allowed: csv, json, sqlite")]
    [InlineData("report", "--asr", "both", "option --asr: ASR definition 'both' is not valid; allowed: excluding-target, including-target")]
    [InlineData("run", "--parallel", "65", "option --parallel must be an integer in [1, 64]; got '65'")]
    [InlineData("run", "--defense", "cleanse", "option --defense: defense 'cleanse' is unknown; known: strip, spectral, activation-clustering, fine-pruning, neural-cleanse")]
    public void BadValue_ExitsTwo_NamingTheOptionTheValueAndWhatIsAllowed(string command, string option, string value, string message)
    {
        string[] args = Valid.Single(row => row[0] == command);
        int at = Array.IndexOf(args, option);
        args = at < 0 ? [.. args, option, value] : [.. args[..(at + 1)], value, .. args[(at + 2)..]];

        (int code, string output, string error) = ConsoleCapture.Run(args);

        code.Should().Be(2);
        output.Should().BeEmpty("nothing runs");
        error.Should().StartWith($"error: {message}").And.EndWith(Environment.NewLine);
        error.TrimEnd().Should().NotContain("\n");
    }

    [Theory]
    [InlineData(new[] { "merge", "--out", "m", "--from", "a", "b", "c", "--shards", "3" }, new[] { "merge", "--out", "m", "--from", "a", "--from", "b", "--from", "c", "--shards", "3" })]
    [InlineData(new[] { "plan", "--sbatch-arg=qos=long", "exclusive", "--sbatch-arg", "a", "b" }, new[] { "plan", "--sbatch-arg=qos=long", "--sbatch-arg", "exclusive", "--sbatch-arg", "a", "--sbatch-arg", "b" })]
    [InlineData(new[] { "run", "--out", "a", "b" }, new[] { "run", "--out", "a", "b" })]
    [InlineData(new[] { "help", "run" }, new[] { "run", "--help" })]
    [InlineData(new[] { "help" }, new[] { "--help" })]
    public void Normalize_SpreadsTheValuesOfRepeatableOptions_AndTurnsHelpIntoTheOption(string[] args, string[] expected) =>
        CommandLineArguments.Normalize(args).Should().Equal(expected);

    [GeneratedRegex(@"^ {4}(?:-h, | {4})(?<name>--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    /// <summary>Gets help text with its wrapped lines joined: every run of white space becomes one space.</summary>
    private static string OneLine(string help) => Regex.Replace(help, @"\s+", " ");

    /// <summary>Gets the long names of the options a help text lists, in order.</summary>
    private static string[] OptionsListed(string help) =>
        [.. OptionLine().Matches(help[help.IndexOf("OPTIONS:", StringComparison.Ordinal)..]).Select(m => m.Groups["name"].Value)];
}
