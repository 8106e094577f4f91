using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// Every task the scheduler knows, by id, by (user, submission id) and by user, plus the retention
/// order of finished tasks (soonest to be forgotten first).
/// </summary>
internal sealed class TaskTable
{
    private readonly Dictionary<string, TaskRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string SubmissionId), TaskRecord> _bySubmission = new();
    private readonly Dictionary<string, UserTasks> _byUser = new(StringComparer.Ordinal);
    private readonly RetainedTasks _finished = new();

    public int Count => _byId.Count;
    public IEnumerable<TaskRecord> All => _byId.Values;

    /// <summary>Finished tasks in retention order, read from the retention lists themselves.</summary>
    public IEnumerable<TaskRecord> Finished => _finished.InExpiryOrder;

    /// <summary>How many finished tasks are kept.</summary>
    public int FinishedCount => _finished.Count;

    /// <summary>What the kept finished tasks hold in payloads, results and errors (see <see cref="RetainedTasks.Bytes"/>).</summary>
    public long FinishedBytes => _finished.Bytes;

    public TaskRecord? Find(string id) => _byId.GetValueOrDefault(id);

    public TaskRecord? FindSubmission(string userId, string submissionId) =>
        _bySubmission.GetValueOrDefault((userId, submissionId));

    /// <summary>The user's tasks in submission order.</summary>
    public IEnumerable<TaskRecord> OfUser(string userId) =>
        _byUser.TryGetValue(userId, out var tasks) ? tasks.OrderBy(t => t.Sequence) : [];

    /// <summary>
    /// The user id string the user's known tasks already hold, else <paramref name="userId"/>: a new task of a known user
    /// keeps that one instead of its own copy (every submission, and every replayed one, decodes a fresh string; a million
    /// tasks of 10,000 users kept ~40 MB of copies).
    /// </summary>
    public string SharedUserId(string userId) => _byUser.TryGetValue(userId, out var tasks) ? tasks.UserId : userId;

    /// <summary>Room for <paramref name="count"/> tasks, so that a restore of that many grows no index on the way.</summary>
    public void EnsureCapacity(int count)
    {
        _byId.EnsureCapacity(count);
        _bySubmission.EnsureCapacity(count);
    }

    public void Add(TaskRecord task)
    {
        _byId.Add(task.Id, task);
        if (task.SubmissionId is not null) _bySubmission.Add((task.UserId, task.SubmissionId), task);
        if (!_byUser.TryGetValue(task.UserId, out var tasks))
        {
            tasks = new UserTasks(task.UserId);
            _byUser.Add(task.UserId, tasks);
        }
        tasks.Add(task);
    }

    /// <summary>Starts the retention of a task that just finished (or, restoring a snapshot, one that had).</summary>
    public void Retain(TaskRecord task, DateTimeOffset expiresAt) => _finished.Add(task, expiresAt);

    /// <summary>A finished task was read for the first time at <paramref name="at"/>: it is kept until <paramref name="expiresAt"/> instead.</summary>
    public void Collect(TaskRecord task, DateTimeOffset at, DateTimeOffset expiresAt)
    {
        _finished.Remove(task);
        task.CollectedAt = at;
        _finished.Add(task, expiresAt);
    }

    /// <summary>Finished tasks whose retention ended at or before <paramref name="now"/>, soonest first.</summary>
    public IEnumerable<TaskRecord> ExpiredAt(DateTimeOffset now) => _finished.InExpiryOrder.TakeWhile(t => t.ExpiresAt <= now);

    /// <summary>
    /// Makes room for <paramref name="task"/>, which just finished, before it is retained: forgets the kept tasks soonest to
    /// expire until, with it, at most <paramref name="maxCount"/> are kept holding at most <paramref name="maxBytes"/>. The
    /// task itself is always kept, whatever its size. Returns how many were forgotten: O(1) each, and each task is forgotten
    /// once, so amortized O(1) per finished task.
    /// </summary>
    public int MakeRoomFor(TaskRecord task, int maxCount, long maxBytes)
    {
        var size = RetainedTasks.SizeOf(task);
        var evicted = 0;
        while ((_finished.Count >= maxCount || _finished.Bytes + size > maxBytes) && _finished.Soonest is { } oldest)
        {
            Forget(oldest);
            evicted++;
        }
        return evicted;
    }

    public void Forget(TaskRecord task)
    {
        if (task.State.IsFinished()) _finished.Remove(task);
        _byId.Remove(task.Id);
        if (task.SubmissionId is not null) _bySubmission.Remove((task.UserId, task.SubmissionId));
        var tasks = _byUser[task.UserId];
        tasks.Remove(task);
        if (tasks.Count == 0) _byUser.Remove(task.UserId);
    }

    /// <summary>A user's tasks, and the user id string they share.</summary>
    private sealed class UserTasks(string userId) : HashSet<TaskRecord>(ReferenceEqualityComparer.Instance)
    {
        public string UserId { get; } = userId;
    }
}
