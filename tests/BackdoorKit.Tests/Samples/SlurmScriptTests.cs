using System.Diagnostics;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Experiments;
using ReproducePaper;
using ReproducePaper.Commands;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// The Slurm script quotes every value it interpolates: run with a fake <c>dotnet</c> on PATH, a hostile name or
/// path reaches the program as one literal argument and executes nothing.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class SlurmScriptTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("x$(touch name-ran)", "m$(touch path-ran).json")]
    [InlineData("x$(touch name-ran)`touch tick-ran`';touch quote-ran;'\"$HOME", "m $(touch path-ran) ';touch path-quote-ran;'.json")]
    public void For_HostileNameAndPath_ParsesAndPassesThemLiterallyWithoutRunningThem(string name, string file)
    {
        string matrix = folder.Combine(file);
        string script = folder.Combine("study.sh");
        File.WriteAllText(script, SlurmScript.For(name, ["--matrix", matrix], 4));

        Bash(["-n", script]).ExitCode.Should().Be(0, "the script parses");
        (int exitCode, string error) = Bash([script]);

        exitCode.Should().Be(0, error);
        Directory.GetFiles(folder.Path, "*-ran").Should().BeEmpty("no interpolated value executes");
        File.ReadAllText(folder.Combine("dotnet-args")).Split('\0', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll",
            "run",
            "--matrix",
            matrix,
            "--out",
            $"results/{name}/shard-3",
            "--shard",
            "3/4");
    }

    [Fact]
    public void For_NameWithALineBreak_Throws()
    {
        Action act = () => SlurmScript.For("a\ntouch ran", ["--preset", "quick"], 2);

        act.Should().Throw<ArgumentException>().WithMessage("*control character*");
    }

    [Fact]
    public void Plan_MatrixWithAHostileName_ExitsTwoAndWritesNoScript()
    {
        string matrix = folder.Combine("hostile.json");
        (SmallMatrix.Valid with { Name = "ok" }).Save(matrix);
        File.WriteAllText(matrix, File.ReadAllText(matrix).Replace("\"ok\"", "\"x$(touch /tmp/p)\"", StringComparison.Ordinal));
        string script = folder.Combine("study.sh");

        Program.Execute(["plan", "--matrix", matrix, "--shards", "2", "--slurm", script], default).Should().Be(2);

        File.Exists(script).Should().BeFalse();
    }

    /// <summary>Runs bash in the temp folder with a fake <c>dotnet</c> first on PATH that records its arguments.</summary>
    private (int ExitCode, string Error) Bash(string[] arguments)
    {
        string bin = Directory.CreateDirectory(folder.Combine("bin")).FullName;
        string fake = Path.Combine(bin, "dotnet");
        File.WriteAllText(fake, "#!/bin/bash\nprintf '%s\\0' \"$@\" > dotnet-args\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["SLURM_ARRAY_TASK_ID"] = "3";
        using Process bash = Process.Start(start)!;
        string error = bash.StandardError.ReadToEnd();
        bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return (bash.ExitCode, error);
    }
}
