namespace Lighthouse.Persistence.Sql;

/// <summary>
/// The scheduler's database cannot be used: unreachable, not a database, corrupt, or held by another host.
/// The message names the database (never its password) and what is wrong, for the operator to act on.
/// </summary>
public sealed class PersistenceStartupException(string message, Exception? inner = null) : Exception(message, inner);
