using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>The waiters of one task, and when the client last heard of it.</summary>
internal sealed class TaskWatch(string taskId)
{
    private TaskWaiter? _first;
    private List<TaskWaiter>? _others;

    public string TaskId { get; } = taskId;

    /// <summary>Some waiter wants every change, not only the end: asks for the task are <see cref="WatchTask"/> with Progress.</summary>
    public bool Progress { get; set; }

    /// <summary>How many <see cref="WatchTask"/> for it are in flight (their answers not yet heard).</summary>
    public int Asking { get; set; }

    /// <summary>When the client last heard of the task, or last asked about it.</summary>
    public TimeSpan QuietSince { get; set; }

    internal LinkedListNode<TaskWatch>? Node { get; set; }

    public bool IsEmpty => _first is null;

    public void Add(TaskWaiter waiter)
    {
        if (_first is null) _first = waiter;
        else (_others ??= []).Add(waiter);
    }

    /// <summary>Forgets the waiters whose calls are over (cancelled by their callers).</summary>
    public void DropDone()
    {
        _others?.RemoveAll(static waiter => waiter.IsDone);
        if (_first is { IsDone: true })
        {
            _first = null;
            if (_others is { Count: > 0 })
            {
                _first = _others[0];
                _others.RemoveAt(0);
            }
        }
    }

    public void Report(TaskInfo info)
    {
        _first?.Report(info);
        if (_others is null) return;
        foreach (var waiter in _others) waiter.Report(info);
    }

    public void Finish(object answer)
    {
        _first?.Finish(answer);
        if (_others is null) return;
        foreach (var waiter in _others) waiter.Finish(answer);
    }

    /// <summary>Fails every waiter, each with its own exception (one instance rethrown on several threads would mix their stack traces).</summary>
    public void Fail(Func<Exception> error)
    {
        _first?.Fail(error());
        if (_others is null) return;
        foreach (var waiter in _others) waiter.Fail(error());
    }
}

/// <summary>
/// The client actor's book of waits: which tasks callers wait for, what to ask the scheduler about them, and what
/// each status heard means for their waiters. The scheduler pushes a watched task's end (and, when asked, its
/// changes) as <see cref="TaskUpdated"/>; a task nothing has been heard of for the refresh interval is asked about
/// again (<see cref="WatchTask"/>, idempotent at the scheduler), because a scheduler that moved or recovered has
/// forgotten its watches and a lost connection loses its pushes. All waits of one task share one watch.
/// Time is a monotonic offset given by the caller, so tests drive it without a clock.
/// </summary>
internal sealed class TaskWatches(TimeSpan refreshInterval, FinishedTasks finished)
{
    private readonly Dictionary<string, TaskWatch> _byTaskId = new(StringComparer.Ordinal);
    // Quietest first: the refresh only looks at the head.
    private readonly LinkedList<TaskWatch> _byQuietSince = new();

    public TaskWatches(TimeSpan refreshInterval) : this(refreshInterval, new FinishedTasks()) { }

    /// <summary>Tasks waited for.</summary>
    public int Count => _byTaskId.Count;

    /// <summary>
    /// A wait for the task's end (<see cref="LighthouseClient.WaitAsync"/>): the <see cref="WatchTask"/> to send, or
    /// null. A new watch asks, and so does a waiter with a progress callback, so that it is told the current status
    /// at once; an end already heard finishes the waiter here.
    /// </summary>
    public WatchTask? Wait(string taskId, TaskWaiter waiter, TimeSpan now)
    {
        if (FinishedAlready(taskId, waiter)) return null;
        var watch = WatchOf(taskId, now, out var created);
        watch.Add(waiter);
        return created || waiter.WantsProgress ? Ask(watch, waiter.WantsProgress, now) : null;
    }

    /// <summary>
    /// A run's task was accepted, submitted with Watch: the scheduler already watches it for this client, so only a
    /// waiter with a progress callback needs to ask (for the changes, which a submission's watch does not send).
    /// </summary>
    public WatchTask? Follow(string taskId, TaskWaiter waiter, TimeSpan now)
    {
        if (FinishedAlready(taskId, waiter)) return null;
        var watch = WatchOf(taskId, now, out _);
        watch.Add(waiter);
        return waiter.WantsProgress ? Ask(watch, progress: true, now) : null;
    }

    /// <summary>
    /// A status of the task: pushed (<see cref="TaskUpdated"/>), the answer to a <see cref="WatchTask"/>
    /// (<paramref name="answersAsk"/>), or a late answer. Reports it to the waiters, and finishes them when the task
    /// has finished. An end nobody waits for is kept a while for a wait that starts just after.
    /// </summary>
    public void Heard(TaskInfo info, TimeSpan now, bool answersAsk)
    {
        var finishedNow = info.State.IsFinished();
        if (!_byTaskId.TryGetValue(info.TaskId, out var watch))
        {
            if (finishedNow) finished.Add(info, now);
            return;
        }
        if (answersAsk && watch.Asking > 0) watch.Asking--;
        if (finishedNow)
        {
            Remove(watch);
            watch.Finish(info);
            return;
        }
        Touch(watch, now);
        watch.Report(info);
    }

    /// <summary>The scheduler does not know the task: every wait for it ends with <paramref name="unknown"/>.</summary>
    public void Unknown(UnknownTask unknown)
    {
        if (!_byTaskId.TryGetValue(unknown.TaskId, out var watch)) return;
        Remove(watch);
        watch.Finish(unknown);
    }

    /// <summary>Asking about the task failed (no answer within the request timeout): every wait for it fails with <paramref name="error"/>.</summary>
    public void Fail(string taskId, Func<Exception> error)
    {
        if (!_byTaskId.TryGetValue(taskId, out var watch)) return;
        Remove(watch);
        watch.Fail(error);
    }

    /// <summary>
    /// The <see cref="WatchTask"/> to send at <paramref name="now"/>: one per task nothing has been heard of for the
    /// refresh interval, unless one is still in flight (it is resent or times out as any request). Watches whose
    /// waiters have all given up are dropped instead, and old kept ends are forgotten.
    /// </summary>
    public IReadOnlyList<WatchTask> DueForRefresh(TimeSpan now)
    {
        finished.Expire(now);
        List<WatchTask>? due = null;
        while (_byQuietSince.First is { Value: var quietest } && now - quietest.QuietSince >= refreshInterval)
        {
            quietest.DropDone();
            if (quietest.IsEmpty)
            {
                Remove(quietest);
                continue;
            }
            Touch(quietest, now);
            if (quietest.Asking > 0) continue;
            quietest.Asking++;
            (due ??= []).Add(new WatchTask(quietest.TaskId, quietest.Progress));
        }
        return due ?? (IReadOnlyList<WatchTask>)[];
    }

    /// <summary>Removes every watch (the client is stopping, or its scheduler is gone); fails their waiters with <paramref name="error"/>.</summary>
    public void FailAll(Func<Exception> error)
    {
        var all = new List<TaskWatch>(_byQuietSince);
        _byTaskId.Clear();
        _byQuietSince.Clear();
        foreach (var watch in all)
        {
            watch.Node = null;
            watch.Fail(error);
        }
    }

    private bool FinishedAlready(string taskId, TaskWaiter waiter)
    {
        if (!finished.TryGet(taskId, out var info)) return false;
        waiter.Finish(info);
        return true;
    }

    private TaskWatch WatchOf(string taskId, TimeSpan now, out bool created)
    {
        created = !_byTaskId.TryGetValue(taskId, out var watch);
        if (watch is not null) return watch;
        watch = new TaskWatch(taskId) { QuietSince = now };
        _byTaskId.Add(taskId, watch);
        watch.Node = _byQuietSince.AddLast(watch);
        return watch;
    }

    private WatchTask Ask(TaskWatch watch, bool progress, TimeSpan now)
    {
        watch.Progress |= progress;
        watch.Asking++;
        Touch(watch, now);
        return new WatchTask(watch.TaskId, watch.Progress);
    }

    private void Touch(TaskWatch watch, TimeSpan now)
    {
        watch.QuietSince = now;
        if (watch.Node is not { } node || node.Next is null) return;
        _byQuietSince.Remove(node);
        _byQuietSince.AddLast(node);
    }

    private void Remove(TaskWatch watch)
    {
        _byTaskId.Remove(watch.TaskId);
        if (watch.Node is { } node) _byQuietSince.Remove(node);
        watch.Node = null;
    }
}
