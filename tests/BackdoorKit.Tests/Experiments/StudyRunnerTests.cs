using System.Collections.Concurrent;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Experiments;

public sealed class StudyRunnerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bk-study-").FullName;
    private readonly IReadOnlyList<ExperimentSpec> specs = KnownMatrices.Quick.Expand().All.Take(12).ToArray();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Run_StoresOneResultPerExperiment()
    {
        var fake = new FakeRunner();
        using var store = SqliteResultStore.OpenFolder(folder);

        new StudyRunner(fake, store).Run(specs).Should().Be(12);

        store.CompletedIds().Should().BeEquivalentTo(specs.Select(s => s.Id));
    }

    [Fact]
    public void Run_AfterACrash_RunsOnlyWhatIsMissing_AndDuplicatesNothing()
    {
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            // The first process dies while running experiment 6: five results were committed.
            var crashing = new FakeRunner { FailAt = 5 };
            Action crash = () => new StudyRunner(crashing, store).Run(specs);
            crash.Should().Throw<InvalidOperationException>();
            store.CompletedIds().Should().HaveCount(5);
        }

        var fake = new FakeRunner();
        using var reopened = SqliteResultStore.OpenFolder(folder);
        new StudyRunner(fake, reopened).Run(specs).Should().Be(7);

        fake.Ran.Should().BeEquivalentTo(specs.Skip(5).Select(s => s.Id));
        reopened.ReadAll().Select(r => r.ExperimentId).Should().BeEquivalentTo(specs.Select(s => s.Id));
    }

    [Fact]
    public void Run_WhenCancelled_StopsBetweenExperiments_KeepingFinishedResults()
    {
        using var cancellation = new CancellationTokenSource();
        var fake = new FakeRunner { OnRun = n => { if (n == 3) { cancellation.Cancel(); } } };
        using var store = SqliteResultStore.OpenFolder(folder);

        Action act = () => new StudyRunner(fake, store).Run(specs, cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        store.CompletedIds().Should().HaveCount(3);
    }

    [Fact]
    public void Run_InParallel_StoresEveryResultOnce_AndReportsProgressToTheTotal()
    {
        var fake = new FakeRunner();
        var reports = new ConcurrentBag<StudyProgress>();
        using var store = SqliteResultStore.OpenFolder(folder);

        new StudyRunner(fake, store).Run(specs, parallelism: 3, new SyncProgress(reports.Add));

        store.ReadAll().Should().HaveCount(12);
        reports.Where(r => r.Finished).Select(r => r.Done).Should().BeEquivalentTo(Enumerable.Range(1, 12));
        reports.Should().OnlyContain(r => r.Total == 12);
    }

    [Fact]
    public void Run_WithInvalidParallelism_FailsNamingTheRange()
    {
        using var store = SqliteResultStore.OpenFolder(folder);

        Action act = () => new StudyRunner(new FakeRunner(), store).Run(specs, parallelism: 0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*parallelism*[1, 64]*0*");
    }

    private sealed class SyncProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }

    private sealed class FakeRunner : IExperimentRunner
    {
        private int count;

        public int FailAt { get; init; } = -1;

        public Action<int>? OnRun { get; init; }

        public ConcurrentQueue<string> Ran { get; } = new();

        public ExperimentResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref count) - 1;
            if (n == FailAt)
            {
                throw new InvalidOperationException("simulated crash");
            }

            Ran.Enqueue(spec.Id);
            OnRun?.Invoke(n + 1);
            return new ExperimentResult
            {
                ExperimentId = spec.Id,
                Spec = spec,
                Protocol = KnownProtocols.PaperText,
                Seed = spec.Seed,
                CleanAccuracy = 0.9,
                AttackSuccessRate = spec.IsClean ? null : 0.5,
            };
        }
    }
}
