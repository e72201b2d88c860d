using System.Collections.Concurrent;
using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Results;
using BackdoorKit.Runtime;
using BackdoorKit.Studies;
using BackdoorKit.Training;

namespace BackdoorKit.Tests.Studies;

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

        new StudyRunner(fake, store).Run(specs).Should().Be(new StudyRunSummary(12, 0, 12, 0));

        store.CompletedIds().Should().BeEquivalentTo(specs.Select(s => s.Id));
    }

    [Fact]
    public void Run_AfterACrash_RunsOnlyWhatIsMissing_AndDuplicatesNothing()
    {
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            // The first process dies while running experiment 6 (the native runtime breaks): five results were committed.
            var crashing = new FakeRunner { FailAt = 5, Failure = new NativeRuntimeException("simulated crash") };
            Action crash = () => new StudyRunner(crashing, store).Run(specs);
            crash.Should().Throw<NativeRuntimeException>();
            store.CompletedIds().Should().HaveCount(5);
        }

        var fake = new FakeRunner();
        using var reopened = SqliteResultStore.OpenFolder(folder);
        new StudyRunner(fake, reopened).Run(specs).Should().Be(new StudyRunSummary(12, 5, 7, 0));

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

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Run_WhenOneExperimentThrows_StoresItAsAFailure_AndRunsTheRest(int parallelism)
    {
        var fake = new FakeRunner { FailOn = specs[4].Id, Failure = new InvalidOperationException("freeze strategy froze every parameter\nsecond line") };
        var reports = new ConcurrentBag<StudyProgress>();
        using var store = SqliteResultStore.OpenFolder(folder);

        StudyRunSummary summary = new StudyRunner(fake, store).Run(specs, parallelism, new SyncProgress(reports.Add));

        summary.Should().Be(new StudyRunSummary(12, 0, 11, 1));
        store.CompletedIds().Should().BeEquivalentTo(specs.Where(s => s.Id != specs[4].Id).Select(s => s.Id));
        ExperimentFailure failure = store.ReadFailures().Should().ContainSingle().Subject;
        failure.ExperimentId.Should().Be(specs[4].Id);
        failure.Spec.Should().Be(specs[4]);
        failure.ErrorType.Should().Be(nameof(InvalidOperationException));
        failure.Message.Should().Be("freeze strategy froze every parameter second line");
        failure.FailedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        reports.Should().ContainSingle(r => r.Failure != null).Which.Current.Id.Should().Be(specs[4].Id);
    }

    [Fact]
    public void Run_Again_RetriesOnlyTheFailedExperiment_AndClearsItsFailure()
    {
        using var store = SqliteResultStore.OpenFolder(folder);
        new StudyRunner(new FakeRunner { FailOn = specs[2].Id }, store).Run(specs);

        var retry = new FakeRunner();
        StudyRunSummary summary = new StudyRunner(retry, store).Run(specs);

        summary.Should().Be(new StudyRunSummary(12, 11, 1, 0));
        retry.Ran.Should().Equal(specs[2].Id);
        store.ReadFailures().Should().BeEmpty();
        store.CompletedIds().Should().HaveCount(12);
    }

    [Fact]
    public void Run_InParallel_WhenTheRuntimeBreaks_ThrowsTheRuntimeError_NotAnAggregate()
    {
        using var store = SqliteResultStore.OpenFolder(folder);
        var fake = new FakeRunner { FailOn = specs[1].Id, Failure = new NativeRuntimeException("libtorch is gone") };

        Action act = () => new StudyRunner(fake, store).Run(specs, parallelism: 2);

        act.Should().Throw<NativeRuntimeException>().WithMessage("libtorch is gone");
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

        public string? FailOn { get; init; }

        public Exception Failure { get; init; } = new InvalidOperationException("simulated failure");

        public Action<int>? OnRun { get; init; }

        public ConcurrentQueue<string> Ran { get; } = new();

        public ExperimentResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref count) - 1;
            if (n == FailAt || spec.Id == FailOn)
            {
                throw Failure;
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
