using System.Diagnostics;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using ReproducePaper;
using ReproducePaper.Cli;
using ReproducePaper.Commands;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// The Slurm script as generated: it quotes every value it interpolates (run with a fake <c>dotnet</c> on PATH, a
/// hostile name or path reaches the program as one literal argument and executes nothing), changes to the job's
/// folder, passes the task's CPUs as threads and the run options, asks for what the options say, and fails with one
/// line on a node without <c>dotnet</c>.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Integration")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class SlurmScriptTests : IDisposable
{
    private const string Program = "/opt/bk/ReproducePaper.dll";

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("x$(touch name-ran)", "m$(touch path-ran).json", "work")]
    [InlineData("x$(touch name-ran)`touch tick-ran`';touch quote-ran;'\"$HOME", "m $(touch path-ran) ';touch path-quote-ran;'.json", "w $(touch cwd-ran) ';touch cwd-quote-ran;'")]
    public void For_HostileNameAndPaths_ChangesToTheFolderAndPassesThemLiterallyWithoutRunningThem(string name, string file, string work)
    {
        string matrix = folder.Combine(file);
        string workingDirectory = Directory.CreateDirectory(folder.Combine(work)).FullName;
        string data = folder.Combine("data $(touch data-ran)");
        string script = folder.Combine("study.sh");
        var options = new SlurmOptions { Gpus = 0, Data = data, Weights = folder.Combine("w'eights") };
        File.WriteAllText(script, SlurmScript.For(Job(name, ["--matrix", matrix], 4) with { WorkingDirectory = workingDirectory }, options));

        Bash(["-n", script]).ExitCode.Should().Be(0, "the script parses");
        (int exitCode, string error) = Bash([script]);

        exitCode.Should().Be(0, error);
        Directory.GetFiles(folder.Path, "*-ran", SearchOption.AllDirectories).Should().BeEmpty("no interpolated value executes");
        File.ReadAllText(Path.Combine(workingDirectory, "dotnet-args")).Split('\0', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            [Program, "run", "--matrix", matrix, "--out", $"results/{name}/shard-3", "--shard", "3/4", "--threads", "6", "--device", "cpu", "--data", data, "--weights", options.Weights],
            "the task runs in the job's folder with its shard, its CPUs as threads and the run options");
    }

    [Fact]
    public void For_NoDotnetOnPath_FailsWithOneLineBeforeRunningAnything()
    {
        string script = folder.Combine("study.sh");
        File.WriteAllText(script, SlurmScript.For(Job("small", ["--preset", "quick"], 2), new SlurmOptions { Gpus = 0 }));

        (int exitCode, string error) = Bash([script], withDotnet: false);

        exitCode.Should().Be(1);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("dotnet is not on PATH");
        File.Exists(folder.Combine("dotnet-args")).Should().BeFalse();
    }

    [Fact]
    public void For_NameWithALineBreak_Throws()
    {
        Action act = () => SlurmScript.For(Job("a\ntouch ran", ["--preset", "quick"], 2), new SlurmOptions());

        act.Should().Throw<ArgumentException>().WithMessage("*control character*");
    }

    [Fact]
    public void For_CpuJob_AsksForNoGpu_AndRunsOnTheCpu()
    {
        string script = SlurmScript.For(Job("small", ["--preset", "quick"], 3), new SlurmOptions { Gpus = 0, CpusPerTask = 2 });

        Directives(script).Should().NotContain(d => d.StartsWith("--gres", StringComparison.Ordinal));
        Directives(script).Should().Contain(["--cpus-per-task=2", "--array=0-2", "--signal=B:TERM@120", $"--chdir=\"{folder.Path}\""]);
        script.Should().Contain("--device 'cpu'").And.Contain("--threads \"$SLURM_CPUS_PER_TASK\"").And.Contain("exec dotnet ");
    }

    [Theory]
    [InlineData("2", "--gres=\"gpu:2\"")]
    [InlineData("a100:1", "--gres=\"gpu:a100:1\"")]
    public void From_Gpus_AskForThemAndDefaultToCuda(string gpus, string directive)
    {
        string script = SlurmScript.For(Job("small", ["--preset", "quick"], 2), SlurmOptions.From(new PlanSettings { Gpus = gpus }));

        Directives(script).Should().Contain(directive);
        script.Should().Contain("--device 'cuda'");
    }

    [Fact]
    public void For_WithoutTime_AsksForTwiceTheEstimatePlusTenMinutes_AndWithTimeForThat()
    {
        SlurmJob job = Job("small", ["--preset", "quick"], 2) with { PerShardEstimate = TimeSpan.FromHours(5) + TimeSpan.FromSeconds(1) };

        Directives(SlurmScript.For(job, new SlurmOptions())).Should().Contain("--time=0-10:11:00");
        Directives(SlurmScript.For(job, SlurmOptions.From(new PlanSettings { Time = "90" }))).Should().Contain("--time=0-01:30:00");
        Directives(SlurmScript.For(job, SlurmOptions.From(new PlanSettings { Time = "2-03:04:05" }))).Should().Contain("--time=2-03:04:05");
        Action noEstimate = () => SlurmScript.For(job with { PerShardEstimate = null }, new SlurmOptions());
        noEstimate.Should().Throw<UsageException>().WithMessage("*--time is required*");
    }

    [Fact]
    public void For_SbatchArgumentsPartitionAccountAndMemory_BecomeQuotedDirectives()
    {
        SlurmOptions options = SlurmOptions.From(new PlanSettings
        {
            SbatchArgs = ["qos=long", "exclusive", "comment=a \"b\" \\c #d"],
            Partition = "gpu,gpu-long",
            Account = "proj_1",
            Mem = "32G",
        });

        Directives(SlurmScript.For(Job("small", ["--preset", "quick"], 2), options)).Should().Contain(
            ["--qos=\"long\"", "--exclusive", "--comment=\"a \\\"b\\\" \\\\c #d\"", "--partition=\"gpu,gpu-long\"", "--account=\"proj_1\"", "--mem=\"32G\""]);
    }

    [Theory]
    [InlineData("--gpus", "-1", "--gpus '-1'")]
    [InlineData("--gpus", "a100:0", "--gpus 'a100:0'")]
    [InlineData("--cpus-per-task", "0", "--cpus-per-task")]
    [InlineData("--mem", "32 GB", "--mem '32 GB'")]
    [InlineData("--time", "1:60:00", "--time '1:60:00'")]
    [InlineData("--time", "0", "--time '0'")]
    [InlineData("--time", "1-24", "--time '1-24'")]
    [InlineData("--partition", "a;b", "--partition 'a;b'")]
    [InlineData("--account", "$(id)", "--account '$(id)'")]
    [InlineData("--sbatch-arg", "-C", "--sbatch-arg '-C'")]
    [InlineData("--sbatch-arg", "time=10", "set by --time")]
    [InlineData("--sbatch-arg", "array=1", "set by the script's array")]
    [InlineData("--device", "tpu", "--device 'tpu'")]
    public void Plan_BadSlurmValue_ExitsTwoWithOneLineNamingOptionAndValue_AndWritesNoScript(string option, string value, string fragment)
    {
        string script = folder.Combine("study.sh");

        // OPTION=VALUE, so that a value starting with a dash (-1, -C) is read as the value it is meant to be.
        (int code, _, string error) = Reliability.ConsoleCapture.Run(
            "plan", "--preset", "quick", "--no-calibration", "--shards", "2", "--slurm", script, $"{option}={value}");

        code.Should().Be(2);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain(fragment);
        File.Exists(script).Should().BeFalse();
    }

    [Theory]
    [InlineData("0", "cuda")]
    [InlineData("1", "cpu")]
    public void From_DeviceThatContradictsTheGpus_IsRefused(string gpus, string device)
    {
        Action act = () => SlurmOptions.From(new PlanSettings { Gpus = gpus, Device = device });

        act.Should().Throw<UsageException>().WithMessage($"*--device '{device}'*--gpus*");
    }

    [Fact]
    public void From_RelativeDataAndWeights_BecomeAbsolute()
    {
        SlurmOptions options = SlurmOptions.From(new PlanSettings { Data = "data", Weights = "w" });

        options.Data.Should().Be(Path.GetFullPath("data"));
        options.Weights.Should().Be(Path.GetFullPath("w"));
        options.Device.Should().Be("cuda");
    }

    [Fact]
    public void Plan_WithSlurmOptions_WritesTheScriptTheyDescribe()
    {
        string matrix = folder.Combine("small.json");
        SmallMatrix.Valid.Save(matrix);
        string script = folder.Combine("study.sh");

        int code = QuietCli.Execute(["plan", "--matrix", matrix, "--shards", "2", "--slurm", script, "--gpus", "0", "--cpus-per-task", "4", "--time", "30", "--data", folder.Path]);

        code.Should().Be(0);
        string text = File.ReadAllText(script);
        Directives(text).Should().Contain(["--cpus-per-task=4", "--time=0-00:30:00", "--array=0-1"]).And.NotContain(d => d.StartsWith("--gres", StringComparison.Ordinal));
        text.Should().Contain($"--data {Shell.Quote(folder.Path)}").And.Contain($"cd {Shell.Quote(Environment.CurrentDirectory)}");
    }

    [Fact]
    public void Plan_GpuJobWithoutTime_WarnsThatTheLimitComesFromTheCpuEstimate()
    {
        string matrix = folder.Combine("small.json");
        SmallMatrix.Valid.Save(matrix);
        string script = folder.Combine("study.sh");

        (int code, _, string error) = Reliability.ConsoleCapture.Run("plan", "--matrix", matrix, "--shards", "2", "--slurm", script);

        code.Should().Be(0);
        error.Should().Contain("note: the Slurm time limit").And.Contain("give --time");
        File.ReadAllText(script).Should().Contain("#SBATCH --gres=\"gpu:1\"").And.Contain("--device 'cuda'");
    }

    [Fact]
    public void Plan_MatrixWithAHostileName_ExitsTwoAndWritesNoScript()
    {
        string matrix = folder.Combine("hostile.json");
        (SmallMatrix.Valid with { Name = "ok" }).Save(matrix);
        File.WriteAllText(matrix, File.ReadAllText(matrix).Replace("\"ok\"", "\"x$(touch /tmp/p)\"", StringComparison.Ordinal));
        string script = folder.Combine("study.sh");

        ReproducePaper.Program.Execute(["plan", "--matrix", matrix, "--shards", "2", "--slurm", script], default).Should().Be(2);

        File.Exists(script).Should().BeFalse();
    }

    private static string[] Directives(string script) =>
        [.. script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l["#SBATCH ".Length..])];

    private SlurmJob Job(string name, IReadOnlyList<string> matrixArguments, int shards) =>
        new(name, matrixArguments, shards, TimeSpan.FromMinutes(1), "study.sh", folder.Path, Program);

    /// <summary>
    /// Runs bash in the temp folder as array task 3 with 6 CPUs, with a fake <c>dotnet</c> first on PATH that records its
    /// arguments (or with nothing on PATH), and a libstdc++ stand-in with the symbol version on LD_LIBRARY_PATH.
    /// </summary>
    private (int ExitCode, string Error) Bash(string[] arguments, bool withDotnet = true)
    {
        string bin = Directory.CreateDirectory(folder.Combine("bin")).FullName;
        string fake = Path.Combine(bin, "dotnet");
        File.WriteAllText(fake, "#!/bin/bash\nprintf '%s\\0' \"$@\" > dotnet-args\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        string lib = Directory.CreateDirectory(folder.Combine("lib")).FullName;
        File.WriteAllText(Path.Combine(lib, "libstdc++.so.6"), $"\0{SlurmScript.RequiredGlibcxx}\0");
        start.Environment["PATH"] = withDotnet ? $"{bin}:/usr/bin:/bin" : Directory.CreateDirectory(folder.Combine("empty")).FullName;
        start.Environment["LD_LIBRARY_PATH"] = lib;
        start.Environment["SLURM_ARRAY_TASK_ID"] = "3";
        start.Environment["SLURM_CPUS_PER_TASK"] = "6";
        using Process bash = Process.Start(start)!;
        string error = bash.StandardError.ReadToEnd();
        bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return (bash.ExitCode, error);
    }
}
