using System.Diagnostics;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Runtime;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Samples;

/// <summary>
/// The CLI as a separate process: it restarts itself with glibc's huge-page tunable where that helps, keeping
/// arguments, output and exit code, records the setting, and trains to the same bits with and without it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HugePagesRestartTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Run_WithAndWithoutHugePages_StoresBitIdenticalResults_AndRecordsTheSetting()
    {
        DatasetFixtures.WriteSmallMnist(folder.Combine("data", "mnist"));
        string matrix = folder.Combine("tiny.json");
        (ReproducePaperRunCommandTests.Tiny with
        {
            Positions = ["bottom-right"],
            Training = TrainingOptions.Default with { Epochs = 3, BatchSize = 2 },
        }).Save(matrix);

        Dictionary<string, ExperimentResult> withDefault = RunStudy(matrix, "default", optOut: null);
        Dictionary<string, ExperimentResult> optedOut = RunStudy(matrix, "opted-out", optOut: "off");

        string thp = HugePages.ReadThpMode();
        bool restarts = HugePages.ShouldRestart(null, null, null, thp);
        withDefault.Values.Should().OnlyContain(r => r.Allocator == HugePages.Describe(restarts ? HugePages.Tunable : null, thp));
        optedOut.Values.Should().OnlyContain(r => r.Allocator == HugePages.Describe(null, thp));
        withDefault.Keys.Should().BeEquivalentTo(optedOut.Keys).And.HaveCount(2);
        foreach ((string id, ExperimentResult result) in withDefault)
        {
            ExperimentResult other = optedOut[id];
            BitConverter.DoubleToInt64Bits(result.FinalLoss).Should().Be(BitConverter.DoubleToInt64Bits(other.FinalLoss), id);
            result.CleanAccuracy.Should().Be(other.CleanAccuracy);
            result.AttackSuccessRate.Should().Be(other.AttackSuccessRate);
        }
    }

    [Fact]
    public void Cli_KeepsArgumentsOutputAndExitCode_AcrossTheRestart()
    {
        (int code, string output, _) = Cli(["help"]);
        code.Should().Be(0);
        output.Should().Contain("ReproducePaper: the systematic backdoor-trigger study");

        (code, _, string error) = Cli(["two words é", "--verbose"]);
        code.Should().Be(2);
        error.Should().Contain("unknown command 'two words é'");
    }

    private static (int Code, string Output, string Error) Cli(string[] arguments, string? optOut = null)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ReproducePaper.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(HugePages.TunablesVariable);
        start.Environment.Remove(HugePages.RestartedVariable);
        start.Environment.Remove(HugePages.OptOutVariable);
        if (optOut is not null)
        {
            start.Environment[HugePages.OptOutVariable] = optOut;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue("the CLI finishes");
        return (process.ExitCode, output.Result, error.Result);
    }

    private Dictionary<string, ExperimentResult> RunStudy(string matrix, string name, string? optOut)
    {
        string study = folder.Combine(name);
        (int code, _, string error) = Cli(["run", "--matrix", matrix, "--out", study, "--data", folder.Combine("data"), "--threads", "1"], optOut);
        code.Should().Be(0, error);
        using SqliteResultStore store = SqliteResultStore.OpenReadOnly(Path.Combine(study, SqliteResultStore.FileName));
        return store.ReadAll().ToDictionary(r => r.ExperimentId);
    }
}
