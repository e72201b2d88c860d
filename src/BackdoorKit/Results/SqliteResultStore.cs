using System.Text.Json;
using BackdoorKit.Experiments;
using Microsoft.Data.Sqlite;

namespace BackdoorKit.Results;

/// <summary>
/// The default result store: one SQLite file in WAL mode with a flat <c>results</c> table and a <c>failures</c> table
/// (docs/results-schema.md) that pandas, R or the sqlite3 shell read directly; each result is one committed
/// transaction, so killing the process at any moment loses at most the experiment in flight and never corrupts the
/// file. Thread-safe.
/// </summary>
public sealed class SqliteResultStore : IResultStore
{
    /// <summary>The store's file name inside a study folder.</summary>
    public const string FileName = "results.sqlite";

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    /// <summary>Initializes a new instance of the <see cref="SqliteResultStore"/> class, creating the file if needed.</summary>
    /// <param name="path">The database file.</param>
    /// <exception cref="InvalidDataException">The file exists but is not a BackdoorKit result store.</exception>
    public SqliteResultStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
            string columns = string.Join(", ", ResultColumns.All.Skip(1).Select(c => $"\"{c.Name}\""));
            Execute($"CREATE TABLE IF NOT EXISTS results (\"experimentId\" TEXT PRIMARY KEY NOT NULL, {columns}, \"resultJson\" TEXT NOT NULL);");
            Execute(
                "CREATE TABLE IF NOT EXISTS failures (\"experimentId\" TEXT PRIMARY KEY NOT NULL, \"errorType\" TEXT NOT NULL, " +
                "\"message\" TEXT NOT NULL, \"failedAt\" TEXT NOT NULL, \"failureJson\" TEXT NOT NULL);");
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{Path}: not a readable result store: {e.Message}", e);
        }
    }

    /// <summary>Gets the database file's full path.</summary>
    public string Path { get; }

    /// <summary>Opens the store of a study folder (<c>DIR/results.sqlite</c>).</summary>
    /// <param name="directory">The study folder.</param>
    /// <returns>The store.</returns>
    public static SqliteResultStore OpenFolder(string directory) => new(System.IO.Path.Combine(directory, FileName));

    /// <inheritdoc />
    public IReadOnlySet<string> CompletedIds()
    {
        lock (gate)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT \"experimentId\" FROM results;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
    }

    /// <inheritdoc />
    public bool Add(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (gate)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            ExperimentResult? existing = Find(result.ExperimentId, transaction);
            if (existing is not null)
            {
                return ResultComparison.Agree(existing, result)
                    ? false
                    : throw new ResultConflictException(
                        $"{Path}: experiment {result.ExperimentId} is stored with different results ({ResultComparison.Describe(existing)} vs {ResultComparison.Describe(result)}).");
            }

            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            var names = ResultColumns.All.Select(c => c.Name).Append("resultJson").ToArray();
            command.CommandText =
                $"INSERT INTO results ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))});";
            for (int i = 0; i < ResultColumns.All.Count; i++)
            {
                command.Parameters.AddWithValue($"$p{i}", ToDatabase(ResultColumns.All[i].Value(result)));
            }

            command.Parameters.AddWithValue($"$p{ResultColumns.All.Count}", JsonSerializer.Serialize(result, BackdoorKitJson.Compact));
            command.ExecuteNonQuery();
            DeleteFailure(result.ExperimentId, transaction);
            transaction.Commit();
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ExperimentResult> ReadAll()
    {
        lock (gate)
        {
            var results = new List<ExperimentResult>();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT \"resultJson\" FROM results ORDER BY \"experimentId\";";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                results.Add(Deserialize(reader.GetString(0)));
            }

            return results;
        }
    }

    /// <inheritdoc />
    public void AddFailure(ExperimentFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        lock (gate)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            if (Find(failure.ExperimentId, transaction) is not null)
            {
                return;
            }

            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT OR REPLACE INTO failures (\"experimentId\", \"errorType\", \"message\", \"failedAt\", \"failureJson\") " +
                "VALUES ($id, $type, $message, $at, $json);";
            command.Parameters.AddWithValue("$id", failure.ExperimentId);
            command.Parameters.AddWithValue("$type", failure.ErrorType);
            command.Parameters.AddWithValue("$message", failure.Message);
            command.Parameters.AddWithValue("$at", failure.FailedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(failure, BackdoorKitJson.Compact));
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ExperimentFailure> ReadFailures()
    {
        lock (gate)
        {
            var failures = new List<ExperimentFailure>();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT \"failureJson\" FROM failures ORDER BY \"experimentId\";";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                failures.Add(JsonSerializer.Deserialize<ExperimentFailure>(reader.GetString(0), BackdoorKitJson.Options)
                    ?? throw new InvalidDataException($"{Path}: a stored failure is empty."));
            }

            return failures;
        }
    }

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();

    private void DeleteFailure(string id, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM failures WHERE \"experimentId\" = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        double d when double.IsNaN(d) => DBNull.Value,
        _ => value,
    };

    private ExperimentResult Deserialize(string json) =>
        JsonSerializer.Deserialize<ExperimentResult>(json, BackdoorKitJson.Options)
        ?? throw new InvalidDataException($"{Path}: a stored result is empty.");

    private ExperimentResult? Find(string id, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT \"resultJson\" FROM results WHERE \"experimentId\" = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string json ? Deserialize(json) : null;
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
