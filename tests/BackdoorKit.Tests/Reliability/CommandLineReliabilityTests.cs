using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Reliability;

/// <summary>Bad command lines: each exits 2 with one line naming the problem, and nothing is written anywhere.</summary>
[Trait("Category", "Reliability")]
[Collection(Training.GlobalTorchStateCollection.Name)]
public sealed class CommandLineReliabilityTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("unknown command", "fly", "unknown command 'fly'")]
    [InlineData("option first", "--out x", "missing command")]
    [InlineData("stray argument", "status x", "unexpected argument 'x'")]
    [InlineData("unknown option", "status --out {root} --verbose", "unknown option --verbose for 'status'")]
    [InlineData("unknown option with a value", "status --out {root} --verbose 1", "unknown option --verbose")]
    [InlineData("unknown short option", "status --out {root} -x", "unknown option -x")]
    [InlineData("one-letter long option", "status --out {root} --x", "invalid option name '--x'")]
    [InlineData("argument after the end of options", "status --out {root} -- extra", "unexpected argument 'extra' for 'status'")]
    [InlineData("repeated option", "status --out {root} --out {root}", "given twice")]
    [InlineData("missing value", "status --out", "option --out needs a value")]
    [InlineData("blank value", "status --out  ", "non-empty value")]
    [InlineData("no study", "status --out {root}/none", "not a study folder")]
    [InlineData("no matrix", "plan", "--preset quick|paper|defenses or --matrix")]
    [InlineData("both matrices", "plan --preset quick --matrix m.json", "either --preset or --matrix")]
    [InlineData("unknown preset", "plan --preset huge", "option --preset: preset 'huge' is unknown; allowed: paper, quick, defenses")]
    [InlineData("missing matrix file", "plan --matrix {root}/missing.json", "matrix file not found")]
    [InlineData("matrix is a folder", "plan --matrix {root}", "not found")]
    [InlineData("slurm without shards", "plan --preset quick --slurm {root}/s.sh", "--shards")]
    [InlineData("zero shards", "plan --preset quick --shards 0", "--shards")]
    [InlineData("shard out of range", "run --preset quick --out {root}/s --shard 3/3", "--shard '3/3'")]
    [InlineData("negative shard", "run --preset quick --out {root}/s --shard -1/3", "--shard")]
    [InlineData("shard without count", "run --preset quick --out {root}/s --shard 1", "--shard '1'")]
    [InlineData("shard of zero", "run --preset quick --out {root}/s --shard 0/0", "--shard '0/0'")]
    [InlineData("parallel zero", "run --preset quick --out {root}/s --parallel 0", "--parallel")]
    [InlineData("parallel huge", "run --preset quick --out {root}/s --parallel 65", "--parallel")]
    [InlineData("parallel text", "run --preset quick --out {root}/s --parallel two", "option --parallel 'two' is not an integer")]
    [InlineData("budget text", "plan --preset quick --budget fast", "option --budget 'fast' is not a number")]
    [InlineData("threads zero", "run --preset quick --out {root}/s --threads 0", "--threads")]
    [InlineData("unknown device", "run --preset quick --out {root}/s --device tpu", "tpu")]
    [InlineData("negative cuda index", "run --preset quick --out {root}/s --device cuda:-1", "cuda:-1")]
    [InlineData("run without out", "run --preset quick", "--out is required")]
    [InlineData("export without format", "export --out {root} --file f.csv", "--format")]
    [InlineData("export unknown format", "export --out {root} --format xml --file f.xml", "--format 'xml'")]
    [InlineData("failures as sqlite", "export --out {root} --format sqlite --file f.db --failures", "--failures")]
    [InlineData("flag with a value", "export --out {root} --format csv --file f.csv --failures yes", "unexpected argument 'yes' for 'export'")]
    [InlineData("flag with an attached value", "export --out {root} --format csv --file f.csv --failures=yes", "option --failures takes no value")]
    [InlineData("slurm option without slurm", "plan --preset quick --gpus 2", "option --gpus needs --slurm")]
    [InlineData("unknown asr", "report --out {root} --asr both", "--asr")]
    [InlineData("merge without sources", "merge --out {root}/m", "--from")]
    [InlineData("data unknown dataset", "data --dataset imagenet --path {root}", "imagenet")]
    [InlineData("data missing folder", "data --dataset mnist --path {root}/none", "none")]
    [InlineData("preview bad size", "preview --dataset mnist --path {root} --index 0 --size 2 --position middle --color white --protocol paper-text --out p.png", "--size")]
    [InlineData("preview bad color", "preview --dataset mnist --path {root} --index 0 --size 0.1 --position middle --color teal --protocol paper-text --out p.png", "teal")]
    [InlineData("preview bad position", "preview --dataset mnist --path {root} --index 0 --size 0.1 --position center --color white --protocol paper-text --out p.png", "center")]
    [InlineData("explain bad index", "explain --out {root} --index -4", "--index")]
    public void BadCommandLine_ExitsTwoWithOneLine_AndWritesNothing(string problem, string commandLine, string fragment)
    {
        string[] args = [.. commandLine.Replace("{root}", root.Path, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        if (problem == "blank value")
        {
            args = [.. args, " "];
        }

        IReadOnlyDictionary<string, string> before = FolderSnapshot.Of(root.Path);
        string[] cwdBefore = Directory.GetFileSystemEntries(Environment.CurrentDirectory);

        (int code, _, string error) = ConsoleCapture.Run(args);

        code.Should().Be(2, problem);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(problem).Which.Should().StartWith("error: ").And.Contain(fragment);
        FolderSnapshot.Of(root.Path).Should().Equal(before, problem);
        Directory.GetFileSystemEntries(Environment.CurrentDirectory).Should().BeEquivalentTo(cwdBefore, problem);
    }
}
