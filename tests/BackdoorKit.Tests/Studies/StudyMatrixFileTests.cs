using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Studies;
using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Studies;

/// <summary>A study folder holds one study: its matrix file is written once, may grow, and never orphans stored results.</summary>
public sealed class StudyMatrixFileTests : IDisposable
{
    private static readonly ExperimentMatrix Study = Experiments.SmallMatrix.Valid with { Name = "grows" };

    private readonly TempDirectory folder = new();
    private readonly SqliteResultStore store;

    public StudyMatrixFileTests() => store = SqliteResultStore.OpenFolder(folder.Path);

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void SaveOrCheck_WritesOnce_ThenAcceptsTheSameMatrix()
    {
        StudyMatrixFile.SaveOrCheck(folder.Path, Study, store).Should().Be(StudyMatrixCheck.Created);
        StudyMatrixFile.SaveOrCheck(folder.Path, Study, store).Should().Be(StudyMatrixCheck.Unchanged);

        ExperimentMatrix.Load(folder.Combine(StudyMatrixFile.FileName)).Expand().All.Select(s => s.Id)
            .Should().Equal(Study.Expand().All.Select(s => s.Id));
    }

    [Fact]
    public void SaveOrCheck_AMatrixThatAddsABlock_KeepsTheStoredResultsAndReplacesTheFile()
    {
        ExperimentMatrix grown = Study with { Include = [Study with { Block = "depth", FreezeStrategy = "linear-probe" }] };
        StudyMatrixFile.SaveOrCheck(folder.Path, Study, store);
        store.Add(Stored(Study.Expand().Backdoored[0]));

        StudyMatrixFile.SaveOrCheck(folder.Path, grown, store).Should().Be(StudyMatrixCheck.Extended);

        ExperimentMatrix.Load(folder.Combine(StudyMatrixFile.FileName)).Include.Should().ContainSingle();
        store.CompletedIds().Should().Contain(Study.Expand().Backdoored[0].Id);
    }

    [Fact]
    public void SaveOrCheck_AMatrixThatLeavesStoredResultsOut_IsRefusedNamingTheFileAndAnExperiment()
    {
        ExperimentSpec stored = Study.Expand().Backdoored[0];
        StudyMatrixFile.SaveOrCheck(folder.Path, Study, store);
        store.Add(Stored(stored));
        ExperimentMatrix other = Study with { Name = "other", PoisoningRates = [0.05] };

        Action act = () => StudyMatrixFile.SaveOrCheck(folder.Path, other, store);

        act.Should().Throw<StudyMatrixMismatchException>().WithMessage(
            $"{folder.Combine(StudyMatrixFile.FileName)} holds study 'grows', and 1 of its stored results (e.g. {stored.Id}) are experiments that 'other' does not plan*");
        ExperimentMatrix.Load(folder.Combine(StudyMatrixFile.FileName)).Name.Should().Be("grows", "a refused matrix changes nothing");
    }

    private static ExperimentResult Stored(ExperimentSpec spec) =>
        new() { ExperimentId = spec.Id, Spec = spec, Protocol = KnownProtocols.PaperText, Seed = spec.Seed, CleanAccuracy = 0.9, AttackSuccessRate = 0.5 };
}
