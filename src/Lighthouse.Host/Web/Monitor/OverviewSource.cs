using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// Builds the <see cref="Overview"/> from the scheduler's read models and keeps it for a moment, so that any
/// number of open pages polling every second cost the scheduler one round of queries per
/// <see cref="CacheFor"/>. The queues list the <see cref="MaxUsersListed"/> busiest users and count the rest, so the page's poll
/// stays small however many users queue (issue 13: 100,000 users of one task each made 7.5 MB of it, now 10 KB). Running
/// tasks' progress and sample queued tasks with their pending reasons come from <see cref="ListTasks"/> of those users; the
/// counts (queued, running, blocked) are the scheduler's own, over every task. Tasks waiting for a policy (a delay, a retry, their
/// parents, a concurrency key) are in no user queue: their counts and a few of them come with the statistics (<see cref="PolicyWaiting"/>).
/// </summary>
public sealed class OverviewSource(SchedulerGateway scheduler, ActorSystem system, TimeProvider clock)
{
    public static TimeSpan CacheFor { get; } = TimeSpan.FromMilliseconds(500);

    public const int MaxUsersListed = 50;

    private readonly Lock _lock = new();
    private Task<Overview>? _latest;
    // The cache runs on the machine's monotonic clock: the injected clock dates the views and may stand still in tests.
    private long _latestAt;

    public Task<Overview> Get(CancellationToken cancellation)
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            // A failed round is not kept: the next request asks again.
            if (_latest is { IsFaulted: false, IsCanceled: false } latest && now - _latestAt < CacheFor.TotalMilliseconds) return latest.WaitAsync(cancellation);
            _latestAt = now;
            // Not tied to one request's cancellation: other pages share the round.
            _latest = Build(CancellationToken.None);
            return _latest.WaitAsync(cancellation);
        }
    }

    private async Task<Overview> Build(CancellationToken cancellation)
    {
        var nodes = scheduler.Ask<NodesView>(GetNodes.Instance, cancellation);
        var queues = scheduler.Ask<QueuesView>(new GetQueues(0, MaxUsersListed), cancellation);
        var statistics = scheduler.Ask<StatisticsView>(new GetStatistics(PolicyWaiting.MaxListed), cancellation);
        var history = scheduler.Ask<HistoryView>(GetHistory.Instance, cancellation);
        await Task.WhenAll(nodes, queues, statistics, history);

        var lists = await Task.WhenAll(queues.Result.Users
            .Take(MaxUsersListed)
            .Select(user => scheduler.Ask<TaskList>(new ListTasks(user.UserId), cancellation)));
        var active = lists.SelectMany(list => list.Tasks).Where(t => !t.State.IsFinished()).ToList();
        var now = clock.GetUtcNow();

        return new Overview(
            now,
            ClusterView.Of(system),
            nodes.Result,
            active.Where(t => t.State == TaskState.Running).ToDictionary(t => t.TaskId, StringComparer.Ordinal),
            queues.Result,
            WaitingTasks.Of(active, nodes.Result),
            statistics.Result,
            history.Result)
        {
            Policies = PolicyWaiting.Of(statistics.Result.Policies),
        };
    }
}
