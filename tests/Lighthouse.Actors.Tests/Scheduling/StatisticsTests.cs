using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Statistics per task name and the throughput history, timed by the manual clock.</summary>
public sealed class StatisticsTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Run_and_wait_times_are_summarised_per_task_name()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2, tasks: ["echo", "resize"]);
        var a = h.Submit();
        var b = h.Submit();
        var failed = h.Submit(task: "resize");
        var cancelled = h.Submit(task: "resize");
        h.Clock.Advance(S(1));
        h.Dispatch();                       // a and b start after waiting 1 s
        h.Clock.Advance(S(2));
        h.Succeed(a);                       // a ran 2 s
        h.Dispatch();                       // failed starts after waiting 3 s
        h.Clock.Advance(S(4));
        h.Succeed(b);                       // b ran 6 s
        h.Report(new ReportFailure(failed, "boom"));
        h.Do(h.State.DecideCancel(cancelled, h.Now));

        var stats = h.State.StatisticsView().TaskNames;

        Assert.Equal(["echo", "resize"], stats.Select(s => s.TaskName));
        var echo = stats[0];
        Assert.Equal((2, 2, 0, 0), (echo.Finished, echo.Succeeded, echo.Failed, echo.Cancelled));
        Assert.Equal(new DurationSummary(2, S(2), S(4), S(6)), echo.RunTime);
        Assert.Equal(new DurationSummary(2, S(1), S(1), S(1)), echo.WaitTime);
        var resize = stats[1];
        Assert.Equal((2, 0, 1, 1), (resize.Finished, resize.Succeeded, resize.Failed, resize.Cancelled));
        // The cancelled one never started, so only the failed one has times.
        Assert.Equal(new DurationSummary(1, S(4), S(4), S(4)), resize.RunTime);
        Assert.Equal(new DurationSummary(1, S(3), S(3), S(3)), resize.WaitTime);
    }

    [Fact]
    public void The_history_has_one_sample_per_interval_with_counts_and_depths()
    {
        var h = new StateHarness();
        var start = h.Now;
        h.Register("n", slots: 1);
        var a = h.Submit();
        h.Submit();
        h.Dispatch();
        h.Clock.Advance(S(2));
        h.Succeed(a);
        h.Dispatch();

        var history = h.State.HistoryView(h.Now + S(1));

        Assert.Equal(S(1), history.Interval);
        Assert.Equal(
            [
                new HistorySample(start, 2, 1, 0, 1, 1),
                new HistorySample(start + S(1), 0, 0, 0, 1, 1),
                new HistorySample(start + S(2), 0, 1, 1, 0, 1),
                new HistorySample(start + S(3), 0, 0, 0, 0, 1),
            ],
            history.Samples);
    }

    [Fact]
    public void The_history_keeps_only_its_configured_length()
    {
        var h = new StateHarness(SchedulerSettings.Default with { HistoryLength = S(5) });
        h.Submit();
        h.Clock.Advance(S(60));

        var samples = h.State.HistoryView(h.Now).Samples;

        Assert.Equal(5, samples.Count);
        Assert.Equal(h.Now - S(4), samples[0].Start);
        Assert.All(samples, s => Assert.Equal((0, 1), (s.Submitted, s.Queued)));
    }

    [Fact]
    public void Monitor_views_show_queues_per_user_and_priority_and_node_capacity()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2, resources: ("cpu", 8));
        var running = h.Submit("alice", requirements: ("cpu", 3));
        h.Dispatch();
        h.Submit("alice", priority: 2);
        h.Submit("bob", priority: 2);
        h.Submit("bob");

        var queues = h.State.QueuesView(GetQueues.Instance);
        var node = Assert.Single(h.State.NodesView().Nodes);

        Assert.Equal((3, 1), (queues.Queued, queues.Running));
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [2] = 2 }, queues.QueuedByPriority);
        // Busiest first: bob has two queued, alice one (and one running).
        Assert.Equal(["bob", "alice"], queues.Users.Select(u => u.UserId));
        Assert.Equal((1, 1), (queues.Users[1].Queued, queues.Users[1].Running));
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [2] = 1 }, queues.Users[0].QueuedByPriority);
        Assert.Equal((WorkerNodeState.Reachable, 2, 1), (node.State, node.Slots, node.FreeSlots));
        Assert.Equal(5, node.Free["cpu"]);
        Assert.Equal(8, node.Capacity["cpu"]);
        Assert.Equal([running], node.RunningTasks);
    }
}
