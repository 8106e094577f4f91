namespace Lighthouse.Persistence.Sql;

/// <summary>Where the scheduler keeps its journal and snapshots.</summary>
public enum PersistenceProvider
{
    /// <summary>Nowhere: everything is in memory and lost when the scheduler stops.</summary>
    None,

    /// <summary>An SQLite file on this machine: one host survives its own restarts.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: the scheduler singleton can move to another host and find its state.</summary>
    PostgreSql,
}
