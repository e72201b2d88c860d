using System.Security.Cryptography;
using System.Text;
using BackdoorKit.Runtime;
using static TorchSharp.torch;

namespace BackdoorKit.Features;

/// <summary>
/// A thread-safe, memory-bounded cache of model-prefix outputs ("features"), one table per <see cref="FeatureCacheKey"/>,
/// filled row by row as experiments ask for sample indices: clean images are computed once per process (or once ever,
/// with <see cref="FeatureCacheOptions.Directory"/>) and triggered images once per trigger. When the tables hold more than
/// <see cref="FeatureCacheOptions.MaxBytes"/> bytes, the least recently used are dropped. Dispose it to free the tensors.
/// </summary>
/// <remarks>
/// Two experiments asking for the same missing rows at once compute them once: the second waits for the first. Rows
/// are computed by the caller's function, in the caller's thread, with the table locked.
/// </remarks>
public sealed class FeatureCache : IDisposable
{
    private const int FileMagic = 0x4346_4B42; // "BKFC"
    private const int FileVersion = 1;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Table> tables = new(StringComparer.Ordinal);
    private readonly LinkedList<string> recency = new();
    private long bytes;

    /// <summary>Initializes a new instance of the <see cref="FeatureCache"/> class.</summary>
    /// <param name="options">The memory budget and disk folder; <see cref="FeatureCacheOptions.Default"/> when null.</param>
    public FeatureCache(FeatureCacheOptions? options = null)
    {
        Options = options ?? FeatureCacheOptions.Default;
        if (Options.Directory is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>Gets the options.</summary>
    public FeatureCacheOptions Options { get; }

    /// <summary>Gets the bytes of feature tensors held in memory.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>Gets the number of tables held in memory.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return tables.Count;
            }
        }
    }

    /// <summary>Drops every table from memory (files on disk stay).</summary>
    public void Clear()
    {
        List<Table> dropped;
        lock (gate)
        {
            dropped = [.. tables.Values];
            tables.Clear();
            recency.Clear();
            bytes = 0;
        }

        foreach (Table table in dropped)
        {
            table.Drop();
        }
    }

    /// <summary>Frees every table.</summary>
    public void Dispose() => Clear();

    /// <summary>
    /// Returns the features of <paramref name="rows"/> of a table, computing the rows it does not hold yet with
    /// <paramref name="compute"/> and keeping them.
    /// </summary>
    /// <param name="key">The table.</param>
    /// <param name="rows">Sample indices, any order, repeats allowed.</param>
    /// <param name="compute">Computes the features of distinct sample indices, in the order given, as one tensor <c>[n, ...]</c>.</param>
    /// <returns>A new tensor <c>[rows.Length, ...]</c> in the caller's dispose scope, and whether every row was already held.</returns>
    internal (Tensor Features, bool Hit) GetRows(FeatureCacheKey key, long[] rows, Func<long[], Tensor> compute)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(compute);
        TorchRuntime.EnsureInitialized();
        string name = key.ToString();
        while (true)
        {
            Table table;
            lock (gate)
            {
                if (!tables.TryGetValue(name, out table!))
                {
                    table = new Table(name, recency.AddFirst(name));
                    tables.Add(name, table);
                }
                else
                {
                    recency.Remove(table.Node);
                    recency.AddFirst(table.Node);
                }
            }

            (Tensor Features, bool Hit, long Added)? found = table.Read(rows, compute, FilePath(name));
            if (found is not { } result)
            {
                continue; // dropped by another thread between the lookup and the read: look it up again
            }

            if (result.Added != 0)
            {
                Account(table, result.Added);
            }

            return (result.Features, result.Hit);
        }
    }

    private void Account(Table table, long added)
    {
        List<Table> dropped = [];
        lock (gate)
        {
            if (!tables.TryGetValue(table.Name, out Table? current) || !ReferenceEquals(current, table))
            {
                return; // already dropped: its bytes left the count then
            }

            table.Bytes += added;
            bytes += added;
            while (bytes > Options.MaxBytes && recency.Last is { } oldest)
            {
                Table victim = tables[oldest.Value];
                tables.Remove(oldest.Value);
                recency.RemoveLast();
                bytes -= victim.Bytes;
                dropped.Add(victim);
            }
        }

        foreach (Table victim in dropped)
        {
            victim.Drop();
        }
    }

    private string? FilePath(string name) => Options.Directory is not { } directory
        ? null
        : Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))) + ".features");

    /// <summary>One key's rows: sample index to row of <see cref="storage"/>. Its own lock guards everything but <see cref="Bytes"/>.</summary>
    private sealed class Table(string name, LinkedListNode<string> node)
    {
        private readonly Lock tableGate = new();
        private readonly Dictionary<long, long> slots = [];
        private Tensor? storage;
        private bool dropped;
        private bool diskChecked;

        public string Name { get; } = name;

        public LinkedListNode<string> Node { get; } = node;

        /// <summary>Gets or sets the bytes counted for this table; guarded by the cache's lock.</summary>
        public long Bytes { get; set; }

        public (Tensor Features, bool Hit, long Added)? Read(long[] rows, Func<long[], Tensor> compute, string? file)
        {
            lock (tableGate)
            {
                if (dropped)
                {
                    return null;
                }

                long before = StorageBytes();
                if (!diskChecked)
                {
                    diskChecked = true;
                    if (file is not null && File.Exists(file))
                    {
                        TryLoad(file);
                    }
                }

                long[] missing = [.. rows.Where(r => !slots.ContainsKey(r)).Distinct()];
                if (missing.Length > 0)
                {
                    Append(missing, compute);
                    if (file is not null)
                    {
                        Save(file);
                    }
                }

                using Tensor positions = tensor(rows.Select(r => slots[r]).ToArray(), ScalarType.Int64, storage!.device);
                return (storage.index_select(0, positions), missing.Length == 0, StorageBytes() - before);
            }
        }

        public void Drop()
        {
            lock (tableGate)
            {
                dropped = true;
                storage?.Dispose();
                storage = null;
                slots.Clear();
            }
        }

        private long StorageBytes() => storage is null ? 0 : storage.NumberOfElements * storage.ElementSize;

        private void Append(long[] missing, Func<long[], Tensor> compute)
        {
            using var scope = NewDisposeScope();
            Tensor computed = compute(missing);
            if (computed.shape[0] != missing.Length)
            {
                throw new InvalidOperationException($"the feature function returned {computed.shape[0]} rows for {missing.Length} samples.");
            }

            Tensor grown = storage is null ? computed.contiguous() : cat([storage, computed.to(storage.device)], 0);
            long first = storage is null ? 0 : storage.shape[0];
            storage?.Dispose();
            storage = grown.DetachFromDisposeScope();
            for (int i = 0; i < missing.Length; i++)
            {
                slots[missing[i]] = first + i;
            }
        }

        private void Save(string file)
        {
            string temporary = $"{file}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            using (var writer = new BinaryWriter(File.Create(temporary)))
            {
                writer.Write(FileMagic);
                writer.Write(FileVersion);
                writer.Write(Name);
                writer.Write((int)storage!.dim());
                foreach (long size in storage.shape)
                {
                    writer.Write(size);
                }

                foreach (long row in slots.OrderBy(s => s.Value).Select(s => s.Key))
                {
                    writer.Write(row);
                }

                using Tensor cpu = storage.cpu().to_type(ScalarType.Float32).contiguous();
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }

            File.Move(temporary, file, overwrite: true);
        }

        private void TryLoad(string file)
        {
            try
            {
                Load(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A truncated or unreadable file is recomputed (and rewritten) like a missing one.
                storage?.Dispose();
                storage = null;
                slots.Clear();
            }
        }

        private void Load(string file)
        {
            using var reader = new BinaryReader(File.OpenRead(file));
            if (reader.ReadInt32() != FileMagic || reader.ReadInt32() != FileVersion || reader.ReadString() != Name)
            {
                return; // another format or a hash collision: recompute
            }

            long[] shape = new long[reader.ReadInt32()];
            for (int i = 0; i < shape.Length; i++)
            {
                shape[i] = reader.ReadInt64();
            }

            for (long i = 0; i < shape[0]; i++)
            {
                slots[reader.ReadInt64()] = i;
            }

            float[] values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            storage = tensor(values, shape).DetachFromDisposeScope();
        }
    }
}
