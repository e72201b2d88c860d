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
    private readonly bool hasFailuresTable;
    private IReadOnlyList<string> damagedRows = [];

    /// <summary>Initializes a new instance of the <see cref="SqliteResultStore"/> class, creating the file if needed.</summary>
    /// <param name="path">The database file.</param>
    /// <exception cref="InvalidDataException">
    /// The file exists but is not a BackdoorKit result store, or SQLite's integrity check finds it damaged.
    /// </exception>
    public SqliteResultStore(string path)
        : this(path, readOnly: false)
    {
    }

    private SqliteResultStore(string path, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        IsReadOnly = readOnly;
        if (Directory.Exists(Path))
        {
            throw new InvalidDataException($"{Path} is a folder, not a result store.");
        }

        if (!readOnly)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }

        connection = Open(Path, readOnly);
        try
        {
            if (!readOnly)
            {
                Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
                string columns = string.Join(", ", ResultColumns.All.Skip(1).Select(c => $"\"{c.Name}\""));
                Execute($"CREATE TABLE IF NOT EXISTS results (\"experimentId\" TEXT PRIMARY KEY NOT NULL, {columns}, \"resultJson\" TEXT NOT NULL);");
                AddMissingColumns();
                Execute(
                    "CREATE TABLE IF NOT EXISTS failures (\"experimentId\" TEXT PRIMARY KEY NOT NULL, \"errorType\" TEXT NOT NULL, " +
                    "\"message\" TEXT NOT NULL, \"failedAt\" TEXT NOT NULL, \"failureJson\" TEXT NOT NULL);");
            }

            CheckIntegrity();
            hasFailuresTable = TableExists("failures");
            if (readOnly && !TableExists("results"))
            {
                throw new InvalidDataException($"{Path}: not a result store (it has no results table).");
            }
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{Path}: not a readable result store: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Gets the database file's full path.</summary>
    public string Path { get; }

    /// <summary>Gets a value indicating whether the store was opened read-only (<see cref="OpenReadOnly"/>).</summary>
    public bool IsReadOnly { get; }

    /// <summary>
    /// Gets the rows the last read found damaged (a result that does not parse, or whose content does not match its
    /// experiment id), one line each. They are skipped, never counted as done, and overwritten when the experiment runs
    /// again.
    /// </summary>
    public IReadOnlyList<string> DamagedRows
    {
        get
        {
            lock (gate)
            {
                return damagedRows;
            }
        }
    }

    /// <summary>Opens the store of a study folder (<c>DIR/results.sqlite</c>).</summary>
    /// <param name="directory">The study folder.</param>
    /// <returns>The store.</returns>
    public static SqliteResultStore OpenFolder(string directory) => new(System.IO.Path.Combine(directory, FileName));

    /// <summary>
    /// Opens an existing store for reading only: nothing is created or changed, so it works on read-only copies and
    /// while another process writes (it sees committed results only).
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <returns>The store; <see cref="Add"/> and <see cref="AddFailure"/> throw <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a result store, or is damaged.</exception>
    public static SqliteResultStore OpenReadOnly(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return File.Exists(path) || Directory.Exists(path)
            ? new SqliteResultStore(path, readOnly: true)
            : throw new FileNotFoundException($"{System.IO.Path.GetFullPath(path)} does not exist.", path);
    }

    /// <summary>
    /// Writes a consistent single-file copy of the store (SQLite's backup API), including results still in the
    /// write-ahead log: the safe way to copy a store while a run writes to it.
    /// </summary>
    /// <param name="destination">The new file; an existing file is replaced.</param>
    public void BackupTo(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        lock (gate)
        {
            using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
            target.Open();
            connection.BackupDatabase(target);
        }
    }

    /// <inheritdoc />
    public IReadOnlySet<string> CompletedIds() => ReadValid().Select(r => r.ExperimentId).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool Add(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ThrowIfReadOnly();
        lock (gate)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            (bool stored, ExperimentResult? existing) = Find(result.ExperimentId, transaction);
            if (stored && existing is null)
            {
                // A damaged row for this experiment: the new result replaces it.
                Delete("results", result.ExperimentId, transaction);
            }
            else if (existing is not null)
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
            Delete("failures", result.ExperimentId, transaction);
            transaction.Commit();
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ExperimentResult> ReadAll() => ReadValid();

    /// <inheritdoc />
    public void AddFailure(ExperimentFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ThrowIfReadOnly();
        lock (gate)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            if (Find(failure.ExperimentId, transaction).Result is not null)
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
            if (!hasFailuresTable)
            {
                return failures;
            }

            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT \"experimentId\", \"failureJson\" FROM failures ORDER BY \"experimentId\";";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                // A damaged failure row is dropped: the experiment has no result, so it runs again anyway.
                if (TryParse(reader.GetString(1), out ExperimentFailure? failure) && failure!.ExperimentId == reader.GetString(0))
                {
                    failures.Add(failure);
                }
            }

            return failures;
        }
    }

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();

    private static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        double d when double.IsNaN(d) => DBNull.Value,
        _ => value,
    };

    private static SqliteConnection Open(string path, bool readOnly)
    {
        // Read-only: while a writer has the store open its write-ahead log exists, and we read through it. Otherwise
        // nobody has the file open, and reading it as immutable creates no -wal or -shm files, so a read changes nothing
        // (and works on read-only copies).
        bool immutable = readOnly && !File.Exists(path + "-wal");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(path).AbsoluteUri + "?immutable=1" : path,
            Pooling = false,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{path}: not a readable result store: {e.Message}", e);
        }
    }

    private static bool TryParse<T>(string json, out T? value)
        where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(json, BackdoorKitJson.Options);
            return value is not null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>Checks one stored row: it parses, and its id, spec and spec hash agree.</summary>
    private static string? Problem(string id, string json)
    {
        if (!TryParse(json, out ExperimentResult? result))
        {
            return "its result does not parse as JSON";
        }

        return result!.ExperimentId != id ? $"it holds the result of {result.ExperimentId}"
            : result.Spec is null ? "it has no experiment spec"
            : result.Spec.Id != id ? "its experiment spec does not hash to its id"
            : null;
    }

    private List<ExperimentResult> ReadValid()
    {
        lock (gate)
        {
            var results = new List<ExperimentResult>();
            var damaged = new List<string>();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT \"experimentId\", \"resultJson\" FROM results ORDER BY \"experimentId\";";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                string id = reader.IsDBNull(0) ? "(null)" : reader.GetString(0);
                string? json = reader.IsDBNull(1) ? null : reader.GetString(1);
                string? problem = json is null ? "its result is empty" : Problem(id, json);
                if (problem is null)
                {
                    results.Add(JsonSerializer.Deserialize<ExperimentResult>(json!, BackdoorKitJson.Options)!);
                }
                else
                {
                    damaged.Add($"{Path}: row {id} is damaged ({problem}); it is skipped and the experiment runs again");
                }
            }

            damagedRows = damaged;
            return results;
        }
    }

    private void CheckIntegrity()
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        using SqliteDataReader reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read())
        {
            problems.Add(reader.GetString(0));
        }

        if (problems is not ["ok"])
        {
            throw new InvalidDataException(
                $"{Path}: SQLite's integrity check finds the store damaged ({string.Join("; ", problems.Take(3))}); " +
                "copy the folder, then recover what is readable with 'sqlite3 results.sqlite .recover' (docs/reliability.md).");
        }
    }

    /// <summary>Adds the columns a store written by an older version lacks (they read NULL for its old rows).</summary>
    private void AddMissingColumns()
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA table_info(results);";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(1));
            }
        }

        foreach (string name in ResultColumns.All.Select(c => c.Name).Where(n => !existing.Contains(n)))
        {
            Execute($"ALTER TABLE results ADD COLUMN \"{name}\";");
        }
    }

    private bool TableExists(string name)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"{Path} was opened read-only.");
        }
    }

    /// <summary>Finds a stored row: whether one exists, and its result when it is intact.</summary>
    private (bool Stored, ExperimentResult? Result) Find(string id, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT \"resultJson\" FROM results WHERE \"experimentId\" = $id;";
        command.Parameters.AddWithValue("$id", id);
        object? value = command.ExecuteScalar();
        if (value is null)
        {
            return (false, null);
        }

        return value is string json && Problem(id, json) is null
            ? (true, JsonSerializer.Deserialize<ExperimentResult>(json, BackdoorKitJson.Options))
            : (true, null);
    }

    private void Delete(string table, string id, SqliteTransaction transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM {table} WHERE \"experimentId\" = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
