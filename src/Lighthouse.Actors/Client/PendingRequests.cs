using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>One request sent to the scheduler and not yet answered, failed or abandoned.</summary>
internal sealed class PendingRequest(CorrelatedRequest wire, TaskCompletionSource<object>? completion, TimeSpan deadline, TimeSpan sentAt)
{
    /// <summary>What goes on the wire, the first time and on every resend: a resend repeats the id, so whichever answer comes first is the one.</summary>
    public CorrelatedRequest Wire { get; } = wire;

    public object Message => Wire.Request;

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
/// The client actor's book of requests in flight: gives each request a correlation id, matches each answer to its
/// request by that id, finds requests past their deadline, and decides which to send again. Time is a monotonic
/// offset given by the caller, so tests drive it without a clock.
/// <para>
/// Many requests may be in flight at once: matching is one dictionary look-up, so pipelining thousands costs no
/// more per request than one. Every request has the same timeout, so send order is deadline order and expiry only
/// looks at the oldest.
/// </para>
/// </summary>
internal sealed class PendingRequests(TimeSpan timeout, TimeSpan retryInterval)
{
    // Process-wide, not per book: a client actor restarted by its supervisor keeps its address, so answers to the
    // requests of its previous incarnation may still arrive, and must not find a new request under a reused id.
    private static long _lastId;

    private readonly Dictionary<long, PendingRequest> _byId = [];
    private readonly LinkedList<PendingRequest> _inSendOrder = new();
    private TimeSpan? _lastHeardAt;

    public int Count => _inSendOrder.Count;

    /// <summary>Every pending request in send order (to send them all again once a session is open).</summary>
    public IEnumerable<PendingRequest> InSendOrder => _inSendOrder;

    /// <summary>True once anything from the scheduler (an answer, even one no request was waiting for, or a push) has arrived: the link worked at least once.</summary>
    public bool EverAnswered => _lastHeardAt is not null;

    /// <summary>
    /// Records <paramref name="message"/> (a client request) sent at <paramref name="now"/> under a new correlation id;
    /// send <see cref="PendingRequest.Wire"/>. <paramref name="completion"/> is null for the client actor's own requests.
    /// </summary>
    public PendingRequest Add(object message, TaskCompletionSource<object>? completion, TimeSpan now, bool untilFinished = false, IProgress<TaskInfo>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wire = new CorrelatedRequest(Interlocked.Increment(ref _lastId), message);
        var request = new PendingRequest(wire, completion, now + timeout, now) { UntilFinished = untilFinished, Progress = progress };
        _byId.Add(wire.CorrelationId, request);
        request.Node = _inSendOrder.AddLast(request);
        return request;
    }

    /// <summary>
    /// The request <paramref name="answer"/> answers, removed from the book; null when no request waits for its id
    /// (the second answer to a resent request, or one to a request that already timed out or was given up).
    /// </summary>
    public PendingRequest? Answer(CorrelatedAnswer answer, TimeSpan now)
    {
        _lastHeardAt = now;
        if (!_byId.Remove(answer.CorrelationId, out var request)) return null;
        Unlink(request);
        return request;
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
    /// every request last sent at least a retry interval ago. They stay pending, under the same id, and are marked
    /// as sent now. Requests their caller has abandoned are dropped instead.
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
        _byId.Clear();
        foreach (var request in all) request.Node = null;
        return all;
    }

    private void Remove(PendingRequest request)
    {
        _byId.Remove(request.Wire.CorrelationId);
        Unlink(request);
    }

    private void Unlink(PendingRequest request)
    {
        if (request.Node is { } node) _inSendOrder.Remove(node);
        request.Node = null;
    }
}
