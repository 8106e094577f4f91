namespace Lighthouse.Persistence.Sql;

/// <summary>
/// Keeps a second Lighthouse host on this machine off an SQLite file one already uses: two schedulers of
/// different clusters recovering and appending to one journal would mix their tasks. Held (an exclusive lock on
/// <c>FILE.lock</c>) for the host's lifetime; the operating system releases it when the process dies, however.
/// </summary>
public sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _lock;

    private DatabaseLock(FileStream held) => _lock = held;

    /// <summary>
    /// The lock of <paramref name="settings"/>' SQLite file, or null for another provider (a database server
    /// coordinates its own clients). Throws <see cref="PersistenceStartupException"/> when another process holds it.
    /// </summary>
    public static DatabaseLock? Acquire(SqlDurabilitySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SqliteFile is not { } file) return null;
        var path = file + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new DatabaseLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new PersistenceStartupException(
                $"the {settings.Describe()} is in use by another Lighthouse host on this machine (it holds {path}): " +
                "give this host its own --data-dir, or use PostgreSQL for several hosts", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PersistenceStartupException($"cannot lock the {settings.Describe()}: {e.Message}", e);
        }
    }

    public void Dispose() => _lock.Dispose();
}
