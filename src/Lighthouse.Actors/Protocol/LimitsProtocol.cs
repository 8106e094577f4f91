namespace Lighthouse.Protocol;

// Concurrency limits (docs/task-policies.md): how many tasks with one concurrency key may run at once across the cluster.
// Admin only, to read as to change (docs/authorization.md): the keys and counts show every user's work.

/// <summary>Asks for every concurrency key's limit and use. Answered by <see cref="ConcurrencyLimitsView"/>.</summary>
public sealed record GetConcurrencyLimits
{
    public static GetConcurrencyLimits Instance { get; } = new();
}

/// <summary>
/// One concurrency key: the limit in force (null: unlimited), the configured one and the runtime one (which wins), its
/// running tasks, its queued tasks that hold a slot (they start without waiting for the key), and the tasks waiting for a slot.
/// </summary>
public sealed record ConcurrencyKeyView(string Key, int? Limit, int? ConfiguredLimit, int? RuntimeLimit, int Running, int Queued, int Waiting);

/// <summary>
/// The keys configured, given a runtime limit or used by a live task, in key order; the limit of a key with none
/// (<paramref name="DefaultLimit"/>, null: unlimited); and how many times a task had to wait for its key since the scheduler started.
/// </summary>
public sealed record ConcurrencyLimitsView(IReadOnlyList<ConcurrencyKeyView> Keys, int? DefaultLimit, long Waits);

/// <summary>
/// Sets the runtime limit of <paramref name="Key"/> to <paramref name="Limit"/> (0 or more; 0 pauses the key), or removes it
/// (null), which gives the key its configured limit back. Running tasks keep running when a limit is lowered: no task with
/// the key starts until fewer run than the limit. Answered by <see cref="ConcurrencyLimitSet"/> or <see cref="ConcurrencyLimitRejected"/>.
/// </summary>
public sealed record SetConcurrencyLimit(string Key, int? Limit);

/// <summary>The change is journaled and in force: the key as it is now.</summary>
public sealed record ConcurrencyLimitSet(ConcurrencyKeyView Key);

/// <summary>The change was refused (a bad key or limit, too many keys); <paramref name="Reason"/> names the field and the configuration key.</summary>
public sealed record ConcurrencyLimitRejected(string Key, string Reason);
