using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Samples;

/// <summary>The <c>report</c> command's options on a stored seed-code study (no training).</summary>
[Trait("Category", "Integration")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class ReproducePaperReportCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string study;

    public ReproducePaperReportCommandTests()
    {
        study = folder.Combine("study");
        Directory.CreateDirectory(study);
        KnownMatrices.Quick.Save(Path.Combine(study, "matrix.json"));
        using SqliteResultStore store = SqliteResultStore.OpenFolder(study);
        foreach (string position in new[] { "top-left", "middle" })
        {
            ExperimentSpec spec = new()
            {
                Dataset = "mnist",
                Model = "small-cnn",
                FreezeStrategy = "full",
                Protocol = "seed-code",
                Weights = "random",
                Trigger = new TriggerSpec(0.08, position, "#FFFFFF"),
                PoisoningRate = 0.02,
            };
            store.Add(new ExperimentResult
            {
                ExperimentId = spec.Id,
                Spec = spec,
                Protocol = KnownProtocols.SeedCode,
                CleanAccuracy = 0.9,
                AttackSuccessRate = 0.01,
                AttackSuccessRateIncludingTarget = 0.11,
                FinishedAt = DateTimeOffset.UnixEpoch,
            });
        }
    }

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(null, "including-target (the default for this study's protocol)", "0.110")]
    [InlineData("excluding-target", "excluding-target (chosen)", "0.010")]
    [InlineData("INCLUDING-TARGET", "including-target (chosen)", "0.110")]
    public void Report_UsesTheAsrDefinitionGivenOrTheProtocolsDefault(string? asr, string stated, string value)
    {
        string[] args = asr is null ? ["report", "--out", study] : ["report", "--out", study, "--asr", asr];

        QuietCli.Execute(args).Should().Be(0);

        string markdown = File.ReadAllText(Path.Combine(study, "report", "report.md"));
        markdown.Should().Contain($"ASR definition of every table, figure and finding: {stated}");
        markdown.Should().Contain($"| mnist | top-left | #FFFFFF | 8 % | small-cnn | {value} | < 60 % |");
    }

    [Fact]
    public void Report_WithAnUnknownAsrDefinition_ExitsTwo()
    {
        QuietCli.Execute(["report", "--out", study, "--asr", "both"]).Should().Be(2);
        File.Exists(Path.Combine(study, "report", "report.md")).Should().BeFalse();
    }
}
