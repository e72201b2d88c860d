using System.Diagnostics;
using System.Globalization;

namespace BackdoorKit.Results;

/// <summary>
/// Makes one process the only writer of a study (or shard) folder: a lock file (<c>run.lock</c>) created atomically,
/// holding the host, process id and start time. A lock left by a process that no longer runs on this host is stale: it
/// is reported and taken over. A lock held by a live process, or by another host (whose processes cannot be checked
/// from here), is refused with a message naming the holder. Dispose to release.
/// </summary>
public sealed class StudyLock : IDisposable
{
    /// <summary>The lock file's name inside the folder.</summary>
    public const string FileName = "run.lock";

    private bool released;

    private StudyLock(string path, string? staleHolder)
    {
        Path = path;
        StaleHolder = staleHolder;
    }

    /// <summary>Gets the lock file's full path.</summary>
    public string Path { get; }

    /// <summary>Gets the description of a stale lock that was taken over, or null when the folder was free.</summary>
    public string? StaleHolder { get; }

    /// <summary>Takes the lock of a folder, creating the folder if needed.</summary>
    /// <param name="folder">The study or shard folder.</param>
    /// <returns>The held lock.</returns>
    /// <exception cref="StudyLockException">Another live process, or a process on another host, holds it.</exception>
    public static StudyLock Acquire(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, FileName));
        string? stale = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(path))
            {
                return new StudyLock(path, stale);
            }

            Holder? holder = Read(path);
            if (holder is null)
            {
                // Being written by its creator right now, or left empty by a crash between create and write.
                Thread.Sleep(200);
                holder = Read(path);
                if (holder is null)
                {
                    stale = $"an unreadable lock file {path}";
                    File.Delete(path);
                    continue;
                }
            }

            if (holder.IsAlive())
            {
                throw new StudyLockException(
                    $"{System.IO.Path.GetDirectoryName(path)} is in use by {holder} (lock file {path}); wait for that run to end, or stop it first.");
            }

            if (!holder.IsLocal)
            {
                throw new StudyLockException(
                    $"{System.IO.Path.GetDirectoryName(path)} is locked by {holder}, which cannot be checked from {Environment.MachineName}; " +
                    $"if that run has ended, delete {path} and start again.");
            }

            stale = holder.ToString();
            File.Delete(path);
        }

        throw new StudyLockException($"could not take the lock {path}: other processes keep taking it.");
    }

    /// <summary>Tells who holds a folder's lock, without taking it.</summary>
    /// <param name="folder">The study or shard folder.</param>
    /// <returns>The live holder's description, or null when the folder is free (no lock, or a stale one).</returns>
    public static string? LiveHolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Holder? holder = Read(System.IO.Path.Combine(folder, FileName));
        return holder is not null && (holder.IsAlive() || !holder.IsLocal) ? holder.ToString() : null;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (!released)
        {
            released = true;
            Holder? holder = Read(Path);
            if (holder is not null && holder.IsLocal && holder.ProcessId == Environment.ProcessId)
            {
                File.Delete(Path);
            }
        }
    }

    private static bool TryCreate(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(stream);
            using var self = Process.GetCurrentProcess();
            writer.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"{Environment.MachineName}\n{Environment.ProcessId}\n{self.StartTime.ToUniversalTime():O}\n"));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static Holder? Read(string path)
    {
        try
        {
            string[] lines = File.ReadAllLines(path);
            return lines.Length >= 3
                && int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && DateTime.TryParse(lines[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime started)
                ? new Holder(lines[0], pid, started)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Holder(string Host, int ProcessId, DateTime StartedUtc)
    {
        public bool IsLocal => string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether the process runs: same host, same id and same start time (ids are reused).</summary>
        public bool IsAlive()
        {
            if (!IsLocal)
            {
                return false;
            }

            try
            {
                using var process = Process.GetProcessById(ProcessId);
                return !process.HasExited && Math.Abs((process.StartTime.ToUniversalTime() - StartedUtc).TotalSeconds) < 2;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"process {ProcessId} on {Host} (started {StartedUtc:yyyy-MM-dd HH:mm:ss} UTC)");
    }
}
