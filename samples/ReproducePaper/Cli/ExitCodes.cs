using BackdoorKit.Data;
using BackdoorKit.Experiments;
using BackdoorKit.Models;
using BackdoorKit.Results;
using BackdoorKit.Runtime;
using BackdoorKit.Training;

namespace ReproducePaper.Cli;

/// <summary>
/// The one place that turns what a command throws into an exit code and a one-line message (docs/reproducing-the-paper.md
/// lists the codes): 0 success, 1 failure of the machine or store, 2 bad input or unreadable data, 3 a study that
/// finished with failed experiments, 130 cancelled.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>The machine, the native runtime or the result store failed.</summary>
    public const int Failure = 1;

    /// <summary>A bad option, a bad matrix, unreadable data or weights.</summary>
    public const int BadInput = 2;

    /// <summary>The study ran to the end, but some experiments failed (stored as failures; a rerun retries them).</summary>
    public const int FinishedWithFailures = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM; every finished result is kept.</summary>
    public const int Cancelled = 130;

    /// <summary>Gets the exception types the map knows, with their exit codes (a test checks it against the library's documented exceptions).</summary>
    public static IReadOnlyList<(Type Type, int Code)> Known { get; } =
    [
        (typeof(UsageException), BadInput),
        (typeof(ArgumentException), BadInput),
        (typeof(ExperimentMatrixException), BadInput),
        (typeof(BackdoorKit.Studies.StudyMatrixMismatchException), BadInput),
        (typeof(InvalidDataException), BadInput),
        (typeof(FileNotFoundException), BadInput),
        (typeof(DirectoryNotFoundException), BadInput),
        (typeof(DatasetFormatException), BadInput),
        (typeof(ModelWeightsException), BadInput),
        (typeof(TrainingDivergedException), Failure),
        (typeof(StudyLockException), BadInput),
        (typeof(ComputeDeviceException), BadInput),
        (typeof(OperationCanceledException), Cancelled),
        (typeof(NativeRuntimeException), Failure),
        (typeof(ResultConflictException), Failure),
        (typeof(Microsoft.Data.Sqlite.SqliteException), Failure),
        (typeof(System.Text.Json.JsonException), BadInput),
        (typeof(System.Net.Http.HttpRequestException), Failure),
        (typeof(IOException), Failure),
        (typeof(UnauthorizedAccessException), Failure),
        (typeof(InvalidOperationException), Failure),
    ];

    /// <summary>Finds the exit code of an exception, unwrapping an <see cref="AggregateException"/> with one inner exception.</summary>
    /// <param name="exception">What a command threw.</param>
    /// <returns>The exit code and the one-line message, or null for an exception the map does not know (a bug: let it crash).</returns>
    public static (int Code, string Message)? Map(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        foreach ((Type type, int code) in Known)
        {
            if (type.IsInstanceOfType(exception))
            {
                string message = code == Cancelled ? "cancelled; every finished result is kept"
                    : exception is ArgumentException argument ? BackdoorKit.ExceptionMessages.OneLine(argument)
                    : exception.Message;
                return (code, OneLine(message));
            }
        }

        return null;
    }

    private static string OneLine(string? message) =>
        string.Join(' ', (message ?? string.Empty).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
