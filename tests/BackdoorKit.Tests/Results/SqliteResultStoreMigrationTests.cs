using BackdoorKit.Experiments;
using BackdoorKit.Results;
using Microsoft.Data.Sqlite;

namespace BackdoorKit.Tests.Results;

/// <summary>A store written before a column existed (here <c>allocator</c>) still opens, reads and accepts results.</summary>
public sealed class SqliteResultStoreMigrationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bk-store-old-").FullName;

    private string File => Path.Combine(folder, SqliteResultStore.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Open_AStoreWithoutTheAllocatorColumn_AddsIt_AndAcceptsNewResults()
    {
        ExperimentResult old = SqliteResultStoreTests.Result(1);
        WriteStoreWithoutAllocatorColumn(old);
        ColumnNames().Should().NotContain("allocator");

        ExperimentResult current = SqliteResultStoreTests.Result(2) with { Allocator = "hugetlb=1,thp=madvise" };
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            store.Add(current).Should().BeTrue();
            store.ReadAll().Should().BeEquivalentTo([old, current]);
        }

        ColumnNames().Should().Equal([.. ResultColumns.All.Select(c => c.Name).Where(n => n != "allocator"), "resultJson", "allocator"]);
        Query($"SELECT \"allocator\" FROM results WHERE \"experimentId\" = '{current.ExperimentId}';").Should().Be("hugetlb=1,thp=madvise");
        Query($"SELECT \"allocator\" FROM results WHERE \"experimentId\" = '{old.ExperimentId}';").Should().BeOfType<DBNull>();
    }

    [Fact]
    public void OpenReadOnly_AStoreWithoutTheAllocatorColumn_ReadsItWithoutChangingIt()
    {
        ExperimentResult old = SqliteResultStoreTests.Result(1);
        WriteStoreWithoutAllocatorColumn(old);

        using (SqliteResultStore store = SqliteResultStore.OpenReadOnly(File))
        {
            store.ReadAll().Should().ContainSingle().Which.Allocator.Should().BeEmpty();
        }

        ColumnNames().Should().NotContain("allocator");
    }

    private void WriteStoreWithoutAllocatorColumn(ExperimentResult result)
    {
        using (var store = SqliteResultStore.OpenFolder(folder))
        {
            store.Add(result);
        }

        Query("ALTER TABLE results DROP COLUMN \"allocator\";");
    }

    private List<string> ColumnNames()
    {
        using var connection = Connect();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA table_info(results);";
        using SqliteDataReader reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(1));
        }

        return names;
    }

    private object? Query(string sql)
    {
        using var connection = Connect();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
