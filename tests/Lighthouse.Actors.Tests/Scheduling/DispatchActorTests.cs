using Lighthouse.Scheduling;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Where and in which order the scheduler actor starts tasks on probe worker nodes.</summary>
public sealed class DispatchActorTests(ITestOutputHelper output) : SchedulerTestKit(output)
{
    [Fact]
    public void A_user_with_a_thousand_queued_tasks_does_not_starve_a_user_who_submits_one_later()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        for (var i = 0; i < 1000; i++) scheduler.Tell(new SubmitTask("echo", "{}", "alice"), TestActor);
        ReceiveN(1000, Wait);
        var first = ExpectStart(worker);
        var bob = Submit(scheduler, "bob");

        worker.Reply(new ReportSuccess(first.TaskId, "{}"));
        var second = ExpectStart(worker);
        worker.Reply(new ReportSuccess(second.TaskId, "{}"));
        var third = ExpectStart(worker);

        // Alice's next task was at her head before bob came, so it goes once; then it is bob's turn.
        Assert.Equal(("alice", "alice", bob), (first.UserId, second.UserId, third.TaskId));
    }

    [Fact]
    public void Priority_ranges_route_each_task_to_a_node_that_accepts_its_priority()
    {
        var scheduler = StartScheduler();
        var low = Worker(scheduler, "low", slots: 5, priorities: new PriorityRange(0, 4));
        var high = Worker(scheduler, "high", slots: 5, priorities: new PriorityRange(5, 9));

        for (var priority = 9; priority >= 0; priority--) Submit(scheduler, priority: priority);

        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(_ => ExpectStart(low).Priority).Order());
        Assert.Equal([5, 6, 7, 8, 9], Enumerable.Range(0, 5).Select(_ => ExpectStart(high).Priority).Order());
    }

    [Fact]
    public void A_task_that_fits_nowhere_does_not_hold_up_the_tasks_behind_it()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 2, resources: ("cpu", 4));
        var gpu = Submit(scheduler, requirements: ("gpu", 1));
        var cpu = Submit(scheduler, requirements: ("cpu", 2));
        var other = Submit(scheduler, "bob", requirements: ("cpu", 2));

        Assert.Equal([cpu, other], new[] { ExpectStart(worker).TaskId, ExpectStart(worker).TaskId }.Order());
        var waiting = Status(scheduler, gpu);
        Assert.Equal(TaskState.Queued, waiting.State);
        Assert.Equal("0/1 nodes fit: 1 lacks \"gpu\"", waiting.PendingReason);
    }

    [Fact]
    public void An_unreachable_node_gets_no_new_task_until_it_is_reachable_again()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 2);
        var running = Submit(scheduler);
        Assert.Equal(running, ExpectStart(worker).TaskId);

        scheduler.Tell(new WorkerUnreachable("n"), TestActor);
        var waiting = Submit(scheduler);

        // No slot on a reachable node, so the scheduler does not even ask the engine.
        Assert.Equal("no worker node is reachable (1 registered, all unreachable)", Status(scheduler, waiting).PendingReason);
        Assert.Equal(TaskState.Running, Status(scheduler, running).State);
        scheduler.Tell(new WorkerReachable("n"), TestActor);
        Assert.Equal(waiting, ExpectStart(worker).TaskId);
    }

    [Fact]
    public void Pending_reasons_say_what_keeps_a_task_waiting()
    {
        var scheduler = StartScheduler();
        var lonely = Submit(scheduler);
        Assert.Equal("no worker node is registered", Status(scheduler, lonely).PendingReason);

        var worker = Worker(scheduler, "n", slots: 1, resources: ("memory", 8));
        Assert.Equal(lonely, ExpectStart(worker).TaskId);
        var resize = Submit(scheduler, task: "resize");
        var huge = Submit(scheduler, requirements: ("memory", 64));

        Assert.Equal("no reachable worker node handles task \"resize\"", Status(scheduler, resize).PendingReason);
        worker.Reply(new ReportSuccess(lonely, "{}"));
        AwaitCondition(() => Status(scheduler, huge).PendingReason == "0/1 nodes fit: 1 has too little \"memory\"", Wait);
    }

    [Fact]
    public void Monitor_queries_describe_nodes_queues_statistics_and_history()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1, resources: ("cpu", 4));
        var running = Submit(scheduler, requirements: ("cpu", 1));
        ExpectStart(worker);
        Submit(scheduler, "bob", priority: 3);

        var node = Assert.Single(Assert.IsType<NodesView>(Send(scheduler, GetNodes.Instance)).Nodes);
        var queues = Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance));
        worker.Reply(new ReportSuccess(running, "{}"));
        AwaitCondition(() => Assert.IsType<StatisticsView>(Send(scheduler, GetStatistics.Instance)).TaskNames.Count == 1, Wait);
        var history = Assert.IsType<HistoryView>(Send(scheduler, GetHistory.Instance));

        Assert.Equal(("n", 0, 3.0), (node.Node, node.FreeSlots, node.Free["cpu"]));
        Assert.Equal([running], node.RunningTasks);
        Assert.Equal((1, 1), (queues.Queued, queues.Running));
        Assert.Equal(new Dictionary<int, int> { [3] = 1 }, queues.QueuedByPriority);
        Assert.Equal(2, history.Samples.Sum(s => s.Submitted));
    }
}
