using BackdoorKit.Reporting.Importance;

namespace BackdoorKit.Reporting.Tests;

public class ImportanceTests
{
    [Fact]
    public void Compute_WhenAsrDependsOnlyOnSize_GivesSizeAllTheVariance()
    {
        var noise = new Random(1);
        var results = SyntheticResults.Grid(s => (s.Trigger!.Size * 10) + (0.001 * noise.NextDouble()));

        IReadOnlyList<ImportanceRow> rows = ParameterImportance.Compute(results);

        rows.Single(r => r.Term == "size").EtaSquared.Should().BeGreaterThan(0.99);
        rows.Where(r => r.Term is "rate" or "position" or "color" or "model").Should().OnlyContain(r => r.EtaSquared < 0.001);
        rows.Single(r => r.Term == "size").Repetitions.Should().Be(2);
        rows.Single(r => r.Term == "size").Lower.Should().BeGreaterThan(0.95);
        rows.Should().NotContain(r => r.Term.Contains("dataset", StringComparison.Ordinal), "one dataset: the factor does not vary");
    }

    [Fact]
    public void Compute_WithAnInteraction_FindsIt()
    {
        // Only white triggers at corners work: a position x color interaction on top of the main effects.
        var results = SyntheticResults.Grid(s => s.Trigger!.Color == "#FFFFFF" && s.Trigger.Position != "middle" ? 0.9 : 0.1);

        IReadOnlyList<ImportanceRow> rows = ParameterImportance.Compute(results);

        rows.Single(r => r.Term == "position x color").EtaSquared.Should().BeGreaterThan(0.05);
        rows.Single(r => r.Term == "size x rate").EtaSquared.Should().BeLessThan(1e-9);
        rows.Single(r => r.Term == "residual").EtaSquared.Should().BeLessThan(1e-9);
        rows.Where(r => r.Scope == "all" && r.Estimable).Sum(r => r.EtaSquared).Should().BeApproximately(1, 0.05);
    }

    [Fact]
    public void Compute_WithUncrossedFactors_MarksTheirInteractionNotEstimable()
    {
        // Two blocks: size varies only at bottom-right, position only at size 0.08.
        var results = SyntheticResults.Grid(s => s.Trigger!.Size).Where(r =>
            r.Spec.Trigger is null || r.Spec.Trigger.Position == "bottom-right" || r.Spec.Trigger.Size == 0.08).ToList();

        IReadOnlyList<ImportanceRow> rows = ParameterImportance.Compute(results);

        ImportanceRow row = rows.Single(r => r.Term == "size x position");
        row.Estimable.Should().BeFalse();
        double.IsNaN(row.EtaSquared).Should().BeTrue();
        ParameterImportance.ToCsv(rows).Should().Contain("all,size x position,,,,0,false");
    }

    [Fact]
    public void Compute_WhenAStudySweepsLabelModes_DecomposesOverThemToo()
    {
        // All-to-all fails, all-to-one works: the label mode carries the variance.
        var results = SyntheticResults.Grid(s => 0.5).SelectMany(r => r.Spec.IsClean
            ? [r]
            : new[] { r with { AttackSuccessRate = 0.9 }, r with { Spec = r.Spec with { LabelMode = BackdoorKit.Poisoning.LabelMode.AllToAll }, AttackSuccessRate = 0.1 } }).ToList();

        IReadOnlyList<ImportanceRow> rows = ParameterImportance.Compute(results);

        rows.Single(r => r.Scope == "all" && r.Term == "label mode").EtaSquared.Should().BeGreaterThan(0.99);
        rows.Should().NotContain(r => r.Term.Contains("family", StringComparison.Ordinal) || r.Term.Contains("poisoner", StringComparison.Ordinal), "neither varies");
    }
}
