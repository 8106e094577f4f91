using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>One request sent to the scheduler and not yet answered, failed or abandoned.</summary>
internal sealed class PendingRequest(object message, AnswerKey key, RequestKind kind, TaskCompletionSource<object>? completion, TimeSpan deadline, TimeSpan sentAt)
{
    public object Message { get; } = message;

    public AnswerKey Key { get; } = key;

    public RequestKind Kind { get; } = kind;

    /// <summary>
    /// Completed by the client actor; the caller may also cancel it, after which it is dropped unanswered. Null for
    /// the client actor's own requests (the <see cref="WatchTask"/> of a wait), whose answers it handles itself.
    /// </summary>
    public TaskCompletionSource<object>? Completion { get; } = completion;

    /// <summary>A submission of <see cref="LighthouseClient.RunAsync(SubmitTask, IProgress{TaskInfo}?, CancellationToken)"/>: its acceptance starts the wait for the task's end.</summary>
    public bool UntilFinished { get; init; }

    /// <summary>Where a run reports the task's changes.</summary>
    public IProgress<TaskInfo>? Progress { get; init; }

    public TimeSpan Deadline { get; } = deadline;

    public TimeSpan LastSentAt { get; set; } = sentAt;

    /// <summary>How many times it was sent: 1, plus one per resend.</summary>
    public int Sends { get; set; } = 1;

    /// <summary>Its caller gave up on it (cancelled): no reason to send it again.</summary>
    public bool IsAbandoned => Completion is { Task.IsCompleted: true };

    internal LinkedListNode<PendingRequest>? Node { get; set; }
}

/// <summary>
/// The client actor's book of requests in flight: matches each answer to its request (see <see cref="RequestKeys"/>),
/// finds requests past their deadline, and decides which to send again. Time is a monotonic offset given by the
/// caller, so tests drive it without a clock.
/// <para>
/// Many requests may be in flight at once: matching is a dictionary look-up, so pipelining thousands costs no more
/// per request than one. Every request has the same timeout, so send order is deadline order and expiry only looks
/// at the oldest.
/// </para>
/// </summary>
internal sealed class PendingRequests(TimeSpan timeout, TimeSpan retryInterval)
{
    // Most keys (a submission id, a task id) have one request at a time: their lists are reused, not reallocated.
    private const int MaxSpareLists = 1024;

    private readonly Dictionary<AnswerKey, List<PendingRequest>> _byKey = [];
    private readonly Stack<List<PendingRequest>> _spareLists = new();
    private readonly LinkedList<PendingRequest> _inSendOrder = new();
    private TimeSpan? _lastHeardAt;

    public int Count => _inSendOrder.Count;

    /// <summary>True once anything from the scheduler (an answer, even one no request was waiting for, or a push) has arrived: the link worked at least once.</summary>
    public bool EverAnswered => _lastHeardAt is not null;

    /// <summary>
    /// Records a request sent at <paramref name="now"/>; throws <see cref="ArgumentException"/> for a message that is no client request.
    /// <paramref name="completion"/> is null for the client actor's own requests.
    /// </summary>
    public PendingRequest Add(object message, TaskCompletionSource<object>? completion, TimeSpan now, bool untilFinished = false, IProgress<TaskInfo>? progress = null)
    {
        var (key, kind) = RequestKeys.OfRequest(message);
        var request = new PendingRequest(message, key, kind, completion, now + timeout, now) { UntilFinished = untilFinished, Progress = progress };
        if (!_byKey.TryGetValue(key, out var sameKey))
        {
            sameKey = _spareLists.TryPop(out var spare) ? spare : new List<PendingRequest>(1);
            _byKey.Add(key, sameKey);
        }
        sameKey.Add(request);
        request.Node = _inSendOrder.AddLast(request);
        return request;
    }

    /// <summary>
    /// The request <paramref name="answer"/> answers, removed from the book; null when the message is no answer or
    /// no request waits for it (the second answer to a resent request, or one to a request that already timed out).
    /// </summary>
    public PendingRequest? Answer(object answer, TimeSpan now)
    {
        if (RequestKeys.OfAnswer(answer) is not { } found) return null;
        var (key, answers) = found;
        _lastHeardAt = now;
        if (!_byKey.TryGetValue(key, out var sameKey)) return null;
        for (var index = 0; index < sameKey.Count; index++)
        {
            var request = sameKey[index];
            if ((request.Kind & answers) == 0) continue;
            Remove(request, sameKey, index);
            return request;
        }
        return null;
    }

    /// <summary>The scheduler sent something that answers no request (a push): the link works, so nothing needs resending for now.</summary>
    public void Heard(TimeSpan now) => _lastHeardAt = now;

    /// <summary>Removes and returns every request whose deadline has passed at <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<PendingRequest> TakeExpired(TimeSpan now)
    {
        List<PendingRequest>? expired = null;
        while (_inSendOrder.First is { Value: var oldest } && oldest.Deadline <= now)
        {
            Remove(oldest);
            (expired ??= []).Add(oldest);
        }
        return expired ?? (IReadOnlyList<PendingRequest>)[];
    }

    /// <summary>
    /// The requests to send again at <paramref name="now"/>: when nothing has been heard for a retry interval,
    /// every request last sent at least a retry interval ago. They stay pending and are marked as sent now.
    /// Requests their caller has abandoned are dropped instead.
    /// </summary>
    public IReadOnlyList<PendingRequest> TakeDueForResend(TimeSpan now)
    {
        if (_lastHeardAt is { } heard && now - heard < retryInterval) return [];
        List<PendingRequest>? due = null;
        for (var node = _inSendOrder.First; node is not null;)
        {
            var request = node.Value;
            node = node.Next;
            if (request.IsAbandoned)
            {
                Remove(request);
                continue;
            }
            if (now - request.LastSentAt < retryInterval) continue;
            request.LastSentAt = now;
            request.Sends++;
            (due ??= []).Add(request);
        }
        return due ?? (IReadOnlyList<PendingRequest>)[];
    }

    /// <summary>Removes and returns every pending request (the client is stopping).</summary>
    public IReadOnlyList<PendingRequest> TakeAll()
    {
        var all = new List<PendingRequest>(_inSendOrder);
        _inSendOrder.Clear();
        _byKey.Clear();
        foreach (var request in all) request.Node = null;
        return all;
    }

    private void Remove(PendingRequest request)
    {
        var sameKey = _byKey[request.Key];
        Remove(request, sameKey, sameKey.IndexOf(request));
    }

    private void Remove(PendingRequest request, List<PendingRequest> sameKey, int index)
    {
        sameKey.RemoveAt(index);
        if (sameKey.Count == 0)
        {
            _byKey.Remove(request.Key);
            if (_spareLists.Count < MaxSpareLists) _spareLists.Push(sameKey);
        }
        if (request.Node is { } node) _inSendOrder.Remove(node);
        request.Node = null;
    }
}
