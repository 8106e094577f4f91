using System.Collections.Concurrent;
using Lighthouse.Protocol;

namespace Lighthouse.Chaos;

/// <summary>What a client submitted, and so what its end must be.</summary>
internal enum SubmissionKind
{
    /// <summary><c>echo</c>: succeeds with the payload as its result.</summary>
    Echo,

    /// <summary><c>sleep</c> for 50–1,500 ms: succeeds.</summary>
    Sleep,

    /// <summary><c>fail</c> with a message of its own: fails with that message.</summary>
    Fail,

    /// <summary><c>sleep</c> for 1–4 s, cancelled by the client soon after: cancelled, or succeeded when the cancel came late.</summary>
    Cancel,

    /// <summary><c>echo</c> that needs <c>gpu=1</c> (only w2 and w3 have it): succeeds with the payload.</summary>
    Requirements,

    /// <summary>The recovery probe: a small <c>echo</c> every 250 ms, whose acceptance and start times say when the cluster recovered from a fault.</summary>
    Probe,
}

/// <summary>One end of a task a client saw (a pushed end, a status read), with the scheduler's times.</summary>
internal sealed record SeenEnd(TaskState State, string? Result, string? Error, int Attempts, string? Node, DateTimeOffset? StartedAt, DateTimeOffset SeenAt, string Via);

/// <summary>
/// One submission, as the clients lived it: sent (maybe several times, always with the same submission id), the task
/// ids the scheduler answered, refusals, and every end seen. Written by the lanes, read by the checker.
/// </summary>
internal sealed class SubmissionRecord(string submissionId, SubmissionKind kind, string via, string user, string taskName, string payload, int? maxAttempts, DateTimeOffset sentAt)
{
    private readonly object _gate = new();
    private readonly List<string> _taskIds = [];
    private readonly List<SeenEnd> _ends = [];

    public string SubmissionId { get; } = submissionId;
    public SubmissionKind Kind { get; } = kind;
    public string Via { get; } = via;
    public string User { get; } = user;
    public string TaskName { get; } = taskName;
    public string Payload { get; } = payload;
    public int? MaxAttempts { get; } = maxAttempts;
    public DateTimeOffset SentAt { get; } = sentAt;
    public DateTimeOffset? AcceptedAt { get; private set; }
    public int Sends { get; private set; }
    public string? Refusal { get; private set; }
    public bool CancelAsked { get; set; }

    public IReadOnlyList<string> TaskIds { get { lock (_gate) return _taskIds.ToList(); } }
    public IReadOnlyList<SeenEnd> Ends { get { lock (_gate) return _ends.ToList(); } }

    public void Sent() { lock (_gate) Sends++; }

    public void Accepted(string taskId)
    {
        lock (_gate)
        {
            AcceptedAt ??= DateTimeOffset.UtcNow;
            if (!_taskIds.Contains(taskId)) _taskIds.Add(taskId);
        }
    }

    public void Refused(string reason) { lock (_gate) Refusal = reason; }

    public void Ended(SeenEnd end) { lock (_gate) _ends.Add(end); }

    public override string ToString() =>
        $"submission {SubmissionId} ({Kind}, {TaskName} {Payload} for {User} via {Via}, sent {SentAt:HH:mm:ss.fff} x{Sends}, task ids [{string.Join(", ", TaskIds)}])";
}

/// <summary>The checker's own history: every submission with its id, every answer and every end the clients saw, and the clients' troubles.</summary>
internal sealed class ChaosHistory
{
    private readonly ConcurrentDictionary<string, SubmissionRecord> _submissions = new();
    private readonly ConcurrentDictionary<string, int> _troubles = new();

    public IReadOnlyCollection<SubmissionRecord> Submissions => _submissions.Values.ToList();

    /// <summary>How often each kind of client trouble happened (a timed-out request, an HTTP 503, a refused connection ...).</summary>
    public IReadOnlyDictionary<string, int> Troubles => new SortedDictionary<string, int>(_troubles, StringComparer.Ordinal);

    public SubmissionRecord New(SubmissionKind kind, string via, string user, string taskName, string payload, int? maxAttempts)
    {
        var record = new SubmissionRecord(Guid.NewGuid().ToString("N"), kind, via, user, taskName, payload, maxAttempts, DateTimeOffset.UtcNow);
        _submissions[record.SubmissionId] = record;
        return record;
    }

    public void Trouble(string what) => _troubles.AddOrUpdate(what, 1, (_, n) => n + 1);
}
