namespace Lighthouse.Host.Web.Waits;

/// <summary>
/// Who waits for which task's end (<c>GET /api/tasks/{id}?wait=</c>), as plain state: the <see cref="TaskWaitActor"/>
/// watches each task once, however many requests wait for it, and wakes all of them when it ends. A waiter is a
/// completion the request awaits; it is woken (completed), never answered: the request then reads the task itself.
/// </summary>
internal sealed class TaskWaitBook(TimeSpan refreshInterval)
{
    private readonly Dictionary<string, Waited> _tasks = new(StringComparer.Ordinal);

    /// <summary>How many waiters are held, over all tasks.</summary>
    public int Count { get; private set; }

    /// <summary>How many tasks are watched for them.</summary>
    public int Tasks => _tasks.Count;

    /// <summary>Adds a waiter; true when the task is not watched yet, so a watch must be sent.</summary>
    public bool Add(string taskId, TaskCompletionSource waiter, TimeSpan now)
    {
        var isNew = !_tasks.TryGetValue(taskId, out var waited);
        if (isNew) _tasks[taskId] = waited = new Waited(now);
        if (waited!.Waiters.Add(waiter)) Count++;
        return isNew;
    }

    /// <summary>Removes a waiter that gave up (its timeout, or the request was aborted); the task is forgotten with its last waiter.</summary>
    public void Remove(string taskId, TaskCompletionSource waiter)
    {
        if (!_tasks.TryGetValue(taskId, out var waited) || !waited.Waiters.Remove(waiter)) return;
        Count--;
        if (waited.Waiters.Count == 0) _tasks.Remove(taskId);
    }

    /// <summary>The task ended (or is unknown, or cannot be watched): wakes and forgets its waiters.</summary>
    public void Wake(string taskId)
    {
        if (!_tasks.Remove(taskId, out var waited)) return;
        Count -= waited.Waiters.Count;
        foreach (var waiter in waited.Waiters) waiter.TrySetResult();
    }

    /// <summary>Wakes every waiter (the actor stops, the session was refused): each request reads the task and answers what it finds.</summary>
    public void WakeAll()
    {
        foreach (var taskId in _tasks.Keys.ToList()) Wake(taskId);
    }

    /// <summary>
    /// The tasks whose watch was sent <c>refreshInterval</c> or longer before <paramref name="now"/>, marked as sent again:
    /// a scheduler that moved or recovered has forgotten its watches, and a watch is idempotent.
    /// </summary>
    public IReadOnlyList<string> DueForRefresh(TimeSpan now)
    {
        List<string>? due = null;
        foreach (var (taskId, waited) in _tasks)
        {
            if (now - waited.WatchedAt < refreshInterval) continue;
            waited.WatchedAt = now;
            (due ??= []).Add(taskId);
        }
        return due ?? (IReadOnlyList<string>)[];
    }

    private sealed class Waited(TimeSpan watchedAt)
    {
        public HashSet<TaskCompletionSource> Waiters { get; } = [];

        public TimeSpan WatchedAt { get; set; } = watchedAt;
    }
}
