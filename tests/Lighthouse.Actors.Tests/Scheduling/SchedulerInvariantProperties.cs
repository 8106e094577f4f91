using FsCheck.Xunit;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Over random sequences of submit / dispatch / finish / cancel / lose-node / register / reachability
/// steps, every accepted task is in exactly one of queued, running and finished (each read from its own
/// structure), no node runs more tasks than its slots, the placement engine holds exactly the running
/// tasks, and the indexed choice of the next task equals a brute-force scan of every queued task.
/// </summary>
public sealed class SchedulerInvariantProperties
{
    [Property(MaxTest = 300, EndSize = 400)]
    public void No_task_is_lost_or_duplicated_and_no_node_runs_more_than_its_slots(int[] steps)
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 25, DefaultMaxAttempts = 2 });
        var accepted = new HashSet<string>();
        var nodesMade = 0;

        foreach (var step in steps)
        {
            var x = step & int.MaxValue;
            var arg = x / 9;
            switch (x % 9)
            {
                case 0:
                case 1:
                    if (h.Submit(RandomSubmission(arg)) is SubmissionAccepted { Duplicate: false } ok) Assert.True(accepted.Add(ok.TaskId));
                    break;
                case 2:
                case 3:
                    h.Dispatch();
                    break;
                case 4:
                    Finish(h, arg);
                    break;
                case 5:
                    Cancel(h, accepted, arg);
                    break;
                case 6:
                    if (Pick(h.State.Nodes.All.Select(n => n.Name), arg) is { } lost) h.Lose(lost);
                    break;
                case 7:
                    h.Register($"n{nodesMade++}", slots: 1 + arg % 3,
                        tasks: arg % 2 == 0 ? ["echo", "resize"] : ["echo"],
                        priorities: arg % 4 == 0 ? new PriorityRange(0, 1) : PriorityRange.All,
                        resources: ("cpu", 2 + arg % 4));
                    break;
                case 8:
                    if (Pick(h.State.Nodes.All.Select(n => n.Name), arg) is { } node)
                        h.SetReachable(node, !h.State.Nodes.Find(node)!.Reachable);
                    break;
            }
            CheckInvariants(h, accepted);
        }
    }

    /// <summary>
    /// Dispatch in batches (as the scheduler actor asks its strategy) starts the same tasks on the same nodes in
    /// the same order as one task at a time, over the same random steps, and leaves the same queues behind.
    /// </summary>
    /// <summary>
    /// The case the property once found (seed-dependent, 1 run in tens of thousands): u0's head task (priority 2) cannot be
    /// placed; one at a time, u0's next task goes before u1's, but a batch chosen as if u0's head started offered u1's first.
    /// The engine now stops a batch at its first refusal.
    /// </summary>
    [Fact]
    public void A_refusal_in_a_batch_does_not_let_the_rest_of_the_batch_go_out_of_the_one_at_a_time_order() =>
        Batched_dispatch_starts_what_one_at_a_time_dispatch_starts_in_the_same_order([24, -4, 6, -7, -3], 1);

    [Property(MaxTest = 200, EndSize = 300)]
    public void Batched_dispatch_starts_what_one_at_a_time_dispatch_starts_in_the_same_order(int[] steps, byte batchSeed)
    {
        var settings = SchedulerSettings.Default with { QueueCapPerUser = 25, DefaultMaxAttempts = 2 };
        var single = new StateHarness(settings);
        var batched = new StateHarness(settings);
        var batch = 1 + batchSeed % 7;
        var nodesMade = 0;

        foreach (var step in steps)
        {
            var x = step & int.MaxValue;
            var arg = x / 6;
            foreach (var h in new[] { single, batched })
            {
                switch (x % 6)
                {
                    case 0:
                    case 1:
                        h.Submit(RandomSubmission(arg));
                        break;
                    case 2:
                        Finish(h, arg);
                        break;
                    case 3:
                        if (Pick(h.State.Nodes.All.Select(n => n.Name), arg) is { } lost) h.Lose(lost);
                        break;
                    case 4:
                        h.Register($"n{nodesMade}", slots: 1 + arg % 3,
                            tasks: arg % 2 == 0 ? ["echo", "resize"] : ["echo"],
                            priorities: arg % 4 == 0 ? new PriorityRange(0, 1) : PriorityRange.All,
                            resources: ("cpu", 2 + arg % 4));
                        break;
                }
            }
            if (x % 6 == 4) nodesMade++;
            if (x % 6 == 5)
            {
                single.Dispatch();
                batched.DispatchInBatches(batch);
            }
            Assert.Equal(single.Starts, batched.Starts);
            Assert.Equal(single.State.Queues.QueuedTasks.Select(t => t.Id).Order(), batched.State.Queues.QueuedTasks.Select(t => t.Id).Order());
            Assert.Equal(single.State.NextPlacement()?.TaskId, batched.State.NextPlacement()?.TaskId);
        }
    }

    private static SubmitTask RandomSubmission(int arg)
    {
        var requirements = new Dictionary<string, double> { ["cpu"] = arg % 3 == 0 ? 3 : 1 };
        if (arg % 7 == 0) requirements["gpu"] = 1;
        return new SubmitTask(
            arg % 5 == 0 ? "resize" : "echo",
            "{}",
            $"u{arg % 4}",
            Priority: arg % 3,
            Requirements: requirements,
            SubmissionId: arg % 6 == 0 ? $"s{arg % 4}" : null);
    }

    private static void Finish(StateHarness h, int arg)
    {
        var running = h.State.Nodes.All.SelectMany(n => n.Running).OrderBy(t => t.Sequence).Select(t => t.Id);
        if (Pick(running, arg / 3) is not { } id) return;
        IWorkerReport report = (arg % 4) switch
        {
            0 => new ReportFailure(id, "boom"),
            1 => new ReportSuccess(id, "not json"),
            2 => new AcknowledgeCancel(id),
            _ => new ReportSuccess(id, "{\"ok\":1}"),
        };
        Assert.Null(h.Report(report));
    }

    private static void Cancel(StateHarness h, HashSet<string> accepted, int arg)
    {
        if (Pick(accepted.Order(StringComparer.Ordinal), arg) is { } id)
            Assert.NotNull(h.Do(h.State.DecideCancel(id, h.Now)));
    }

    private static string? Pick(IEnumerable<string> names, int arg)
    {
        var list = names.ToList();
        return list.Count == 0 ? null : list[arg % list.Count];
    }

    private static void CheckInvariants(StateHarness h, HashSet<string> accepted)
    {
        var queued = h.State.Queues.QueuedTasks.ToList();
        var running = h.State.Nodes.All.SelectMany(n => n.Running).ToList();
        var finished = h.State.Tasks.Finished.ToList();
        var everywhere = queued.Concat(running).Concat(finished).Select(t => t.Id).ToList();

        Assert.Equal(everywhere.Count, everywhere.Distinct().Count());
        Assert.Equal(accepted.Order(StringComparer.Ordinal), everywhere.Order(StringComparer.Ordinal));
        Assert.Equal(accepted.Count, h.State.Tasks.Count);
        Assert.All(queued, t => Assert.Equal(TaskState.Queued, t.State));
        Assert.All(running, t => Assert.Equal(TaskState.Running, t.State));
        Assert.All(finished, t => Assert.True(t.State.IsFinished()));
        Assert.Equal((queued.Count, running.Count), (h.State.Queues.Queued, h.State.Queues.Running));

        foreach (var node in h.State.Nodes.All)
        {
            Assert.True(node.Running.Count <= node.Slots, $"node {node.Name} runs {node.Running.Count} tasks on {node.Slots} slots");
            Assert.All(node.Running, t => Assert.Equal(node.Name, t.Node));
            Assert.Equal(
                node.Running.Select(t => t.Id).Order(StringComparer.Ordinal),
                h.Placer.Distributor.WorkloadsOn(node.Name).Order(StringComparer.Ordinal));
            Assert.Equal(node.Slots - node.Running.Count, h.Placer.Distributor.Remaining(node.Name)["slots"]);
        }

        Assert.Same(BruteForceNext(h), h.State.Queues.NextCandidate());
    }

    /// <summary>
    /// The fair choice by definition: among users with a queued task whose shape is not blocked, the one
    /// running fewest, then waiting longest, then lowest id; its first such task by priority, requeued, sequence.
    /// </summary>
    private static TaskRecord? BruteForceNext(StateHarness h)
    {
        var open = h.State.Queues.QueuedTasks.Where(t => !h.State.Shapes.IsBlocked(t.Shape)).ToList();
        if (open.Count == 0) return null;
        var users = h.State.Queues.Users.ToDictionary(u => u.UserId);
        var user = open.Select(t => users[t.UserId]).Distinct()
            .OrderBy(u => u.Running).ThenBy(u => u.WaitingSince).ThenBy(u => u.UserId, StringComparer.Ordinal).First();
        return open.Where(t => t.UserId == user.UserId)
            .OrderByDescending(t => t.Priority).ThenBy(t => t.Requeued ? 0 : 1).ThenBy(t => t.Sequence).First();
    }
}
