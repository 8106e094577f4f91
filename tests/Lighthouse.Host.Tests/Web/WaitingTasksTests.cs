using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Web;

/// <summary>Which queued tasks the monitor calls oldest and blocked, without an ActorSystem.</summary>
public sealed class WaitingTasksTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_oldest_is_the_earliest_submitted_queued_task_and_ties_go_to_the_lower_sequence()
    {
        var tasks = new[]
        {
            Task("task-10", TaskState.Queued, 5), Task("task-9", TaskState.Queued, 5),
            Task("task-1", TaskState.Running, 60), Task("task-2", TaskState.Succeeded, 90),
        };

        var waiting = WaitingTasks.Of(tasks, Nodes(("n", WorkerNodeState.Reachable, 0)));

        Assert.Equal("task-9", waiting.Oldest!.TaskId);
    }

    [Fact]
    public void Only_tasks_the_scheduler_found_no_current_node_can_ever_take_are_blocked_however_long_the_others_waited()
    {
        var tasks = new[]
        {
            Task("task-1", TaskState.Queued, 600, waitsForCapacity: true),
            Task("task-2", TaskState.Queued, 1, waitsForCapacity: false),
            Task("task-3", TaskState.Queued, 300, waitsForCapacity: null),
            Task("task-4", TaskState.Queued, 0, waitsForCapacity: false),
        };

        var waiting = WaitingTasks.Of(tasks, Nodes(("n", WorkerNodeState.Reachable, 2)));

        Assert.Equal(["task-2", "task-4"], waiting.Blocked.Select(t => t.TaskId));
    }

    [Fact]
    public void A_full_cluster_blocks_a_task_that_no_node_can_ever_take_but_not_one_waiting_for_a_slot()
    {
        var tasks = new[] { Task("task-1", TaskState.Queued, 600, waitsForCapacity: true), Task("task-2", TaskState.Queued, 600, waitsForCapacity: false) };

        var waiting = WaitingTasks.Of(tasks, Nodes(("n", WorkerNodeState.Reachable, 0), ("m", WorkerNodeState.Unreachable, 4)));

        Assert.Equal(["task-2"], waiting.Blocked.Select(t => t.TaskId));
        Assert.Equal("task-1", waiting.Oldest!.TaskId);
    }

    [Fact]
    public void Without_a_reachable_node_every_queued_task_is_blocked_at_once()
    {
        var tasks = new[] { Task("task-1", TaskState.Queued, 0), Task("task-2", TaskState.Running, 9), Task("task-3", TaskState.Queued, 0, waitsForCapacity: true) };

        Assert.Equal(["task-1", "task-3"], WaitingTasks.Of(tasks, Nodes(("m", WorkerNodeState.Unreachable, 4))).Blocked.Select(t => t.TaskId));
        Assert.Equal(["task-1", "task-3"], WaitingTasks.Of(tasks, Nodes()).Blocked.Select(t => t.TaskId));
    }

    [Fact]
    public void No_queued_task_means_no_oldest_and_no_banner()
    {
        var waiting = WaitingTasks.Of([Task("task-1", TaskState.Running, 30)], Nodes());

        Assert.Null(waiting.Oldest);
        Assert.Empty(waiting.Blocked);
    }

    private static TaskInfo Task(string id, TaskState state, int secondsAgo, bool? waitsForCapacity = null) => new(
        id, "echo", "alice", 0, state, 0, null, null, null, 0, 3, Now.AddSeconds(-secondsAgo),
        null, null, state == TaskState.Queued ? "waiting" : null, false, null, waitsForCapacity);

    private static NodesView Nodes(params (string Name, WorkerNodeState State, int FreeSlots)[] nodes) => new(nodes
        .Select(n => new NodeView(n.Name, n.State, new Dictionary<string, double>(), new Dictionary<string, double>(), 4, n.FreeSlots, [], ["echo"], PriorityRange.All, Now))
        .ToList());
}
