using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Read models: answers to status and monitor queries. They change nothing.
internal sealed partial class SchedulerState
{
    /// <summary>A task's status, or null when unknown or forgotten (retention over at <paramref name="now"/>).</summary>
    public TaskInfo? Status(string taskId, DateTimeOffset now) => FindLive(taskId, now) is { } task ? Info(task, now) : null;

    /// <summary>The user's known tasks in submission order.</summary>
    public TaskList TasksOf(string userId, DateTimeOffset now) =>
        new(userId, _tasks.OfUser(userId).Where(t => FindLive(t.Id, now) is not null).Select(t => Info(t, now)).ToList());

    public NodesView NodesView() => new(_nodes.All
        .OrderBy(n => n.Name, StringComparer.Ordinal)
        .Select(n => new NodeView(
            n.Name,
            n.Reachable ? WorkerNodeState.Reachable : WorkerNodeState.Unreachable,
            n.Resources,
            n.Free(),
            n.Slots,
            n.FreeSlots,
            n.Running.OrderBy(t => t.Sequence).Select(t => t.Id).ToList(),
            n.TaskNames,
            n.Priorities,
            n.RegisteredAt,
            n.Lanes?.Select((lane, index) => new LaneView(lane.Slots, Math.Max(0, lane.Slots - n.LaneRunning[index]), lane.Priorities, lane.Nice)).ToList()))
        .ToList());

    /// <summary>
    /// Queue totals and one page of users, busiest first (<see cref="GetQueues"/>; offset and limit clamped to what it allows).
    /// Chosen by a bounded heap over the users: O(U log (offset + limit)), never a sort of every user, so the monitor's poll
    /// costs little more than a walk over the users however many there are. The view of a request without a page leaves out
    /// the fields older clients cannot read.
    /// </summary>
    public QueuesView QueuesView(GetQueues request)
    {
        var offset = Math.Max(0, request.Offset);
        var limit = Math.Clamp(request.Limit ?? GetQueues.DefaultLimit, 0, GetQueues.MaxLimit);
        var page = BusiestUsers(offset, limit)
            .Select(u => new UserQueueView(u.UserId, u.Queued, u.Running, new SortedDictionary<int, int>(u.QueuedByPriority.ToDictionary())))
            .ToList();
        var view = new QueuesView(_queues.Queued, _queues.Running, new SortedDictionary<int, int>(_queues.QueuedByPriority.ToDictionary()), page);
        return request.IsPaged ? view with { UserCount = _queues.UserCount, Offset = offset, Blocked = BlockedCount() } : view;
    }

    /// <summary>Most queued first, then most running, then user id.</summary>
    private static readonly Comparison<UserQueue> Busier = static (a, b) =>
    {
        var c = b.Queued.CompareTo(a.Queued);
        if (c != 0) return c;
        c = b.Running.CompareTo(a.Running);
        return c != 0 ? c : string.CompareOrdinal(a.UserId, b.UserId);
    };

    /// <summary>The users at places offset .. offset + limit - 1 in <see cref="Busier"/> order.</summary>
    private List<UserQueue> BusiestUsers(int offset, int limit)
    {
        var wanted = (int)Math.Min((long)offset + limit, _queues.UserCount);
        if (limit == 0 || wanted <= offset) return [];
        // A heap of the busiest seen so far whose root is the least busy of them: each user costs one comparison with the
        // root, and O(log wanted) when it enters.
        var heap = new PriorityQueue<UserQueue, UserQueue>(wanted, Comparer<UserQueue>.Create((a, b) => Busier(b, a)));
        foreach (var user in _queues.Users)
        {
            if (heap.Count < wanted) heap.Enqueue(user, user);
            else if (Busier(user, heap.Peek()) < 0) heap.EnqueueDequeue(user, user);
        }
        var busiest = new UserQueue[heap.Count];
        for (var i = busiest.Length - 1; i >= 0; i--) busiest[i] = heap.Dequeue();
        return busiest.Skip(offset).ToList();
    }

    /// <summary>See <see cref="Protocol.QueuesView.Blocked"/>: the same rule as a task's pending reason, summed per placement shape.</summary>
    public int BlockedCount()
    {
        if (_nodes.ReachableCount == 0) return _queues.Queued;
        var blocked = 0;
        foreach (var shape in _queues.QueuedShapes)
        {
            if (shape.UnplacedReason is not null && _shapes.IsBlocked(shape) && !shape.WaitsForCapacity) blocked += shape.Queued;
        }
        return blocked;
    }

    /// <summary>The per-user policy defaults and every user with a policy of its own.</summary>
    public UserPoliciesView UserPoliciesView() => _policies.View();

    public StatisticsView StatisticsView() => new(_statistics.View());

    /// <summary>
    /// The statistics, with the task policies' figures when asked for (<see cref="GetStatistics.IsExtended"/>): every count is
    /// an index's own size, and the listed tasks are the first of ordered indexes (at most <see cref="GetStatistics.MaxWaitingListed"/>
    /// of each kind), so the answer costs the same however many tasks wait.
    /// </summary>
    public StatisticsView StatisticsView(GetStatistics request, DateTimeOffset now)
    {
        var view = StatisticsView();
        if (request.WaitingListed is not { } asked) return view;
        var listed = Math.Clamp(asked, 0, GetStatistics.MaxWaitingListed);
        var waiting = new List<PolicyWaitingTask>();
        foreach (var task in _alarms.Delayed.Take(listed)) waiting.Add(Waiting(task, PolicyWait.Delayed, now));
        foreach (var task in _alarms.Retrying.Take(listed)) waiting.Add(Waiting(task, PolicyWait.Retrying, now));
        foreach (var task in _dependencies.Oldest.Take(listed)) waiting.Add(Waiting(task, PolicyWait.Dependencies, now));
        foreach (var task in _keys.OldestWaiting.Take(listed)) waiting.Add(Waiting(task, PolicyWait.ConcurrencyKey, now));
        return view with
        {
            Policies = new PolicyStatistics(
                _alarms.Delayed.Count, _alarms.Retrying.Count, _dependencies.Waiting, _keys.Waiting,
                _counters.Retries, _counters.Timeouts, _queues.QuotaWaits, waiting),
        };
    }

    private PolicyWaitingTask Waiting(TaskRecord task, PolicyWait kind, DateTimeOffset now) =>
        new(task.Id, task.TaskName, task.UserId, kind, Info(task, now).PendingReason ?? "", task.SubmittedAt, task.DueAt);

    public HistoryView HistoryView(DateTimeOffset now) => new(_history.Interval, _history.View(now));

    /// <summary>How many of a task's waiting children its status lists (the oldest); a parent may have any number.</summary>
    internal const int MaxListedDependents = 100;

    internal TaskInfo Info(TaskRecord task, DateTimeOffset now)
    {
        var info = task.State == TaskState.Queued
            ? task.DueAt is { } due ? task.ToInfo(WaitingReason(task, due, now), null)
            : task.WaitsForParents ? task.ToInfo(DependencyReason(task), null)
            : task.WaitsForKey ? task.ToInfo(KeyReason(task), null)
            : task.ToInfo(PendingReason(task), WaitsForCapacity(task))
            : task.ToInfo(null, null);
        if (task.State.IsFinished() || _dependencies.Parents == 0) return info;
        var dependents = _dependencies.ChildrenOf(task.Id, MaxListedDependents);
        return dependents.Count == 0 ? info : info with { Dependents = dependents.ConvertAll(t => t.Id) };
    }

    /// <summary>
    /// Why a task waits for its time: <c>retrying in 3.2 s after: ERROR</c> after a failure, else <c>not before 10:42:03Z</c>
    /// (with the date when it is not within a day).
    /// </summary>
    internal static string WaitingReason(TaskRecord task, DateTimeOffset due, DateTimeOffset now)
    {
        if (task.Retries > 0)
        {
            var seconds = Math.Max(0, (due - now).TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);
            return $"retrying in {seconds} s after: {task.AttemptErrors?[^1]}";
        }
        var utc = due.UtcDateTime;
        return "not before " + (due - now < TimeSpan.FromDays(1) && due >= now
            ? utc.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The engine's last verdict on the task's shape while it still holds (the same memo that blocks dispatch):
    /// a verdict given before the nodes changed says nothing about the current nodes, so it is not repeated.
    /// </summary>
    private bool? WaitsForCapacity(TaskRecord task) =>
        task.Shape.UnplacedReason is not null && _shapes.IsBlocked(task.Shape) ? task.Shape.WaitsForCapacity : null;

    /// <summary>
    /// Why a queued task waits, most fundamental cause first: no node at all, none reachable, none
    /// handling its task name or accepting its priority, then its user's quota, then the engine's last explanation for its
    /// shape, then a full cluster, else its turn in the fair order has not come yet.
    /// </summary>
    private string PendingReason(TaskRecord task)
    {
        if (_nodes.Count == 0) return "no worker node is registered";
        if (_nodes.ReachableCount == 0) return $"no worker node is reachable ({_nodes.Count} registered, all unreachable)";
        if (!_nodes.AnyReachableHandles(task.TaskName)) return $"no reachable worker node handles task \"{task.TaskName}\"";
        if (!_nodes.All.Any(n => n.Reachable && n.Handles(task.TaskName) && n.Accepts(task.Priority)))
            return _nodes.All.All(n => !n.Reachable || !n.Handles(task.TaskName) || n.Lanes is not null)
                ? $"no reachable worker node that handles task \"{task.TaskName}\" has a lane for priority {task.Priority}"
                : $"no reachable worker node that handles task \"{task.TaskName}\" accepts priority {task.Priority}";
        if (_queues.AtQuota(task.UserId) is { } quota)
            return $"user {task.UserId} is at its quota of {quota.ToString(CultureInfo.InvariantCulture)} running tasks";
        if (_shapes.IsBlocked(task.Shape)) return task.Shape.UnplacedReason!;
        if (_nodes.FreeSlots == 0)
            return $"waiting for a free slot: all {_nodes.ReachableSlots} slots on {_nodes.ReachableCount} reachable nodes are busy";
        return "waiting for its turn: tasks of users running fewer tasks go first";
    }
}
