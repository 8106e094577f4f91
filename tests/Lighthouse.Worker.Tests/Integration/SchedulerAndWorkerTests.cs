using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Worker.Tests.Integration;

/// <summary>A real <see cref="SchedulerActor"/> and a real worker agent with the built-in handlers in one ActorSystem. The test actor is the client.</summary>
public sealed class SchedulerAndWorkerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IActorRef StartScheduler()
    {
        var scheduler = Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default), "scheduler");
        WorkerHub.Create(o =>
        {
            o.NodeName = "w1";
            o.Slots = 4;
            o.AddBuiltInHandlers();
        }).Start(Sys, scheduler);
        return scheduler;
    }

    private string Submit(IActorRef scheduler, string task, string payload, string user = "alice")
    {
        scheduler.Tell(new SubmitTask(task, payload, user), TestActor);
        return ExpectMsg<SubmissionAccepted>(Wait).TaskId;
    }

    /// <summary>Lists the user's tasks (which collects none of them) until <paramref name="done"/> holds.</summary>
    private IReadOnlyList<TaskInfo> AwaitTasks(IActorRef scheduler, string user, Func<IReadOnlyList<TaskInfo>, bool> done)
    {
        IReadOnlyList<TaskInfo> tasks = [];
        AwaitCondition(() =>
        {
            scheduler.Tell(new ListTasks(user), TestActor);
            tasks = ExpectMsg<TaskList>(Wait).Tasks;
            return done(tasks);
        }, Wait, TimeSpan.FromMilliseconds(20));
        return tasks;
    }

    [Fact]
    public void Echo_tasks_of_two_users_succeed_with_their_own_payloads()
    {
        var scheduler = StartScheduler();
        var submitted = new Dictionary<string, string>();
        foreach (var user in new[] { "alice", "bob" })
        {
            for (var i = 0; i < 50; i++)
            {
                var payload = $"{{\"user\": \"{user}\", \"n\": {i}}}";
                submitted[Submit(scheduler, "echo", payload, user)] = payload;
            }
        }

        var finished = new[] { "alice", "bob" }
            .SelectMany(user => AwaitTasks(scheduler, user, tasks => tasks.All(t => t.State.IsFinished())))
            .ToList();
        Assert.Equal(100, finished.Count);
        Assert.All(finished, t =>
        {
            Assert.Equal(TaskState.Succeeded, t.State);
            Assert.Equal(submitted[t.TaskId], t.Result);
            Assert.Equal("w1", t.Node);
        });
    }

    [Fact]
    public void A_running_sleep_is_cancelled_through_its_worker()
    {
        var scheduler = StartScheduler();
        var id = Submit(scheduler, "sleep", "{\"ms\": 600000}");
        AwaitTasks(scheduler, "alice", tasks => tasks.Single().State == TaskState.Running);

        scheduler.Tell(new CancelTask(id), TestActor);
        Assert.Equal(new CancelPending(id, "w1"), ExpectMsg<CancelPending>(Wait));

        var cancelled = AwaitTasks(scheduler, "alice", tasks => tasks.Single().State.IsFinished()).Single();
        Assert.Equal(TaskState.Cancelled, cancelled.State);
        Assert.Equal("cancelled on request", cancelled.Error);
    }

    [Fact]
    public void Fail_fails_the_task_with_its_message_and_the_worker_goes_on()
    {
        var scheduler = StartScheduler();
        Submit(scheduler, "fail", "{\"message\": \"the printer is on fire\"}");
        var failed = AwaitTasks(scheduler, "alice", tasks => tasks.Single().State.IsFinished()).Single();
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal("the printer is on fire", failed.Error);

        Submit(scheduler, "echo", "\"EXIT\"");
        var echoed = AwaitTasks(scheduler, "alice", tasks => tasks.Count == 2 && tasks[1].State.IsFinished())[1];
        Assert.Equal((TaskState.Succeeded, "\"EXIT\""), (echoed.State, echoed.Result));
    }

    [Fact]
    public void A_task_name_the_worker_does_not_handle_stays_queued_with_its_reason()
    {
        var scheduler = StartScheduler();
        Submit(scheduler, "resize", "{}");
        // Wait until the worker is registered (an echo gets through), then look at the unhandled task.
        Submit(scheduler, "echo", "1");
        var tasks = AwaitTasks(scheduler, "alice", t => t.Count == 2 && t[1].State == TaskState.Succeeded);
        Assert.Equal(TaskState.Queued, tasks[0].State);
        Assert.Contains("resize", tasks[0].PendingReason);
    }
}
