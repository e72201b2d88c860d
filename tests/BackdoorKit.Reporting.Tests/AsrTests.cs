using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Reporting.Importance;
using BackdoorKit.Reporting.Tables;

namespace BackdoorKit.Reporting.Tests;

public class AsrTests
{
    [Fact]
    public void DefaultFor_IsIncludingTargetOnlyForASeedCodeStudy()
    {
        var paperText = SyntheticResults.Grid(_ => 0.5);
        var seedCode = SeedCode(paperText);

        Asr.DefaultFor(paperText).Should().Be(AsrDefinition.ExcludingTarget);
        Asr.DefaultFor(seedCode).Should().Be(AsrDefinition.IncludingTarget);
        Asr.DefaultFor([.. seedCode, paperText[0]]).Should().Be(AsrDefinition.ExcludingTarget, "a mixed study keeps the headline definition");
    }

    [Theory]
    [InlineData("excluding-target", AsrDefinition.ExcludingTarget)]
    [InlineData("Including-Target", AsrDefinition.IncludingTarget)]
    public void Parse_ReadsTheCommandLineNames(string name, AsrDefinition expected)
    {
        Asr.Parse(name).Should().Be(expected);
        Asr.Name(expected).Should().Be(name.ToLowerInvariant());
    }

    [Fact]
    public void Parse_WithAnUnknownName_FailsListingTheAllowedOnes()
    {
        Action act = () => Asr.Parse("both");

        act.Should().Throw<ArgumentException>().WithMessage("ASR definition 'both' is not valid; allowed: excluding-target, including-target.*");
    }

    [Fact]
    public void Options_WithAnUndefinedDefinition_FailNamingTheValue()
    {
        Action act = () => _ = new ReportOptions { Asr = (AsrDefinition)7 };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Asr must be null or one of ExcludingTarget, IncludingTarget; got 7.*");
    }

    [Fact]
    public void TablesAndImportance_UseTheChosenDefinition()
    {
        // Excluding target: 0.7 everywhere but size-driven noise; including target: 0.1 higher and driven by the rate.
        var results = SyntheticResults.Grid(s => 0.7 + (0.01 * s.Trigger!.Size))
            .Select(r => r with { AttackSuccessRateIncludingTarget = r.AttackSuccessRate is null ? null : 0.8 + r.Spec.PoisoningRate })
            .ToList();

        TriggerCategoryTable.Build(results, AsrDefinition.ExcludingTarget).Rows.Should().OnlyContain(r => r[6] == "60-80 %");
        TriggerCategoryTable.Build(results, AsrDefinition.IncludingTarget).Rows.Should().OnlyContain(r => r[6] == ">= 80 %");
        ParameterImportance.Compute(results, AsrDefinition.IncludingTarget).Single(r => r.Term == "rate").EtaSquared.Should().BeGreaterThan(0.99);
        ParameterImportance.Compute(results, AsrDefinition.ExcludingTarget).Single(r => r.Term == "size").EtaSquared.Should().BeGreaterThan(0.99);
    }

    internal static List<ExperimentResult> SeedCode(IEnumerable<ExperimentResult> results) =>
        [.. results.Select(r => r with { Protocol = KnownProtocols.SeedCode })];
}
