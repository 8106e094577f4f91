using Lighthouse.Tests.Shared;
using Akka.Actor;
using Akka.TestKit;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// A scheduler on a manual clock, with probe worker nodes. The test actor is the client. Every wait is
/// bounded by <see cref="Wait"/>; a wait only lasts that long when a test fails.
/// </summary>
public abstract class SchedulerTestKit(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    protected ManualTimeProvider Clock { get; } = new();

    protected IActorRef StartScheduler(SchedulerSettings? settings = null) =>
        Sys.ActorOf(SchedulerActor.Props(settings ?? SchedulerSettings.Default, Clock));

    private readonly Dictionary<TestProbe, IActorRef> _agents = [];

    /// <summary>The agent a <see cref="Worker"/> probe registered through (it opens the scheduler's batches for the probe).</summary>
    protected IActorRef AgentOf(TestProbe worker) => _agents[worker];

    /// <summary>Registers a probe as a worker node's agent (through an <see cref="UnbatchingAgent"/>) and waits for the answer.</summary>
    protected TestProbe Worker(IActorRef scheduler, string node, int slots = 1, string[]? tasks = null, PriorityRange? priorities = null, params (string Key, double Quantity)[] resources) =>
        Worker(scheduler, node, passAcknowledgements: false, slots, tasks, priorities, resources);

    /// <summary>As <see cref="Worker(IActorRef, string, int, string[], PriorityRange, ValueTuple{string, double}[])"/>, the probe seeing <see cref="ReportsAcknowledged"/> when <paramref name="passAcknowledgements"/>.</summary>
    protected TestProbe Worker(IActorRef scheduler, string node, bool passAcknowledgements, int slots = 1, string[]? tasks = null, PriorityRange? priorities = null, params (string Key, double Quantity)[] resources)
    {
        var probe = CreateTestProbe();
        var agent = UnbatchingAgents.For(Sys, probe.Ref, passAcknowledgements);
        _agents[probe] = agent;
        scheduler.Tell(StateHarness.Registration(node, slots, tasks, priorities, resources), agent);
        Assert.Equal(node, probe.ExpectMsg<WorkerRegistered>(Wait).Node);
        return probe;
    }

    protected object Send(IActorRef scheduler, object message)
    {
        scheduler.Tell(message, TestActor);
        return ExpectMsg<object>(Wait);
    }

    protected string Submit(IActorRef scheduler, string user = "alice", string task = "echo", int priority = 0, int? maxAttempts = null, params (string Key, double Quantity)[] requirements) =>
        Assert.IsType<SubmissionAccepted>(Send(scheduler, new SubmitTask(task, "{}", user, priority, requirements.ToDictionary(r => r.Key, r => r.Quantity), MaxAttempts: maxAttempts))).TaskId;

    /// <summary>A status read (which collects a finished task).</summary>
    protected TaskInfo Status(IActorRef scheduler, string taskId) => Assert.IsType<TaskInfo>(Send(scheduler, new GetTaskStatus(taskId)));

    /// <summary>The task as listed for its user: reading it this way collects nothing.</summary>
    protected TaskInfo Listed(IActorRef scheduler, string user, string taskId) =>
        Assert.IsType<TaskList>(Send(scheduler, new ListTasks(user))).Tasks.Single(t => t.TaskId == taskId);

    /// <summary>Waits (bounded) until a report that travelled through the node's actor has been applied.</summary>
    protected void AwaitListed(IActorRef scheduler, string user, string taskId, Func<TaskInfo, bool> condition) =>
        AwaitCondition(() => condition(Listed(scheduler, user, taskId)), Wait, TimeSpan.FromMilliseconds(10));

    protected static StartTask ExpectStart(TestProbe worker) => worker.ExpectMsg<StartTask>(Wait);
}
