namespace Lighthouse.Scheduling;

/// <summary>
/// Every task the scheduler knows, by id, by (user, submission id) and by user, plus the retention
/// order of finished tasks (soonest to be forgotten first).
/// </summary>
internal sealed class TaskTable
{
    private static readonly IComparer<TaskRecord> ExpiryOrder = Comparer<TaskRecord>.Create(static (a, b) =>
    {
        var c = a.ExpiresAt.CompareTo(b.ExpiresAt);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly Dictionary<string, TaskRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string SubmissionId), TaskRecord> _bySubmission = new();
    private readonly Dictionary<string, HashSet<TaskRecord>> _byUser = new(StringComparer.Ordinal);
    private readonly SortedSet<TaskRecord> _finished = new(ExpiryOrder);

    public int Count => _byId.Count;
    public IEnumerable<TaskRecord> All => _byId.Values;

    /// <summary>Finished tasks in retention order, read from the retention set itself.</summary>
    public IEnumerable<TaskRecord> Finished => _finished;

    public TaskRecord? Find(string id) => _byId.GetValueOrDefault(id);

    public TaskRecord? FindSubmission(string userId, string submissionId) =>
        _bySubmission.GetValueOrDefault((userId, submissionId));

    /// <summary>The user's tasks in submission order.</summary>
    public IEnumerable<TaskRecord> OfUser(string userId) =>
        _byUser.TryGetValue(userId, out var tasks) ? tasks.OrderBy(t => t.Sequence) : [];

    public void Add(TaskRecord task)
    {
        _byId.Add(task.Id, task);
        if (task.SubmissionId is not null) _bySubmission.Add((task.UserId, task.SubmissionId), task);
        if (!_byUser.TryGetValue(task.UserId, out var tasks))
        {
            tasks = new HashSet<TaskRecord>(ReferenceEqualityComparer.Instance);
            _byUser.Add(task.UserId, tasks);
        }
        tasks.Add(task);
    }

    /// <summary>Starts the retention of a task that just finished.</summary>
    public void Retain(TaskRecord task, DateTimeOffset expiresAt)
    {
        task.ExpiresAt = expiresAt;
        _finished.Add(task);
    }

    /// <summary>Moves a finished task's expiry (it was collected).</summary>
    public void Reschedule(TaskRecord task, DateTimeOffset expiresAt)
    {
        _finished.Remove(task);
        task.ExpiresAt = expiresAt;
        _finished.Add(task);
    }

    /// <summary>Finished tasks whose retention ended at or before <paramref name="now"/>, soonest first.</summary>
    public IEnumerable<TaskRecord> ExpiredAt(DateTimeOffset now) => _finished.TakeWhile(t => t.ExpiresAt <= now);

    public void Forget(TaskRecord task)
    {
        _finished.Remove(task);
        _byId.Remove(task.Id);
        if (task.SubmissionId is not null) _bySubmission.Remove((task.UserId, task.SubmissionId));
        var tasks = _byUser[task.UserId];
        tasks.Remove(task);
        if (tasks.Count == 0) _byUser.Remove(task.UserId);
    }
}
