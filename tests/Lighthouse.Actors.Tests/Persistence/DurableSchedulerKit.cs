using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Lighthouse.Actors.Tests.Scheduling;
using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// Schedulers persisting to an SQLite file in a temp directory, one actor system per "process lifetime":
/// a test starts a scheduler, stops its system (as a host going down would), and starts another on the same
/// file. Probes in each system play clients and worker agents. Waits are long because a first recovery
/// (schema creation, plugin start) can take seconds on a loaded machine; they only last when a test fails.
/// </summary>
public abstract class DurableSchedulerKit(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output), IDisposable
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly List<ActorSystem> _systems = [];

    protected TempDirectory Directory { get; } = new();

    protected ManualTimeProvider Clock { get; } = new();

    protected string DatabaseFile => Directory.File("lighthouse.db");

    protected DurabilitySettings Durability(int snapshotEvery = 10_000, TimeSpan? grace = null) =>
        DurabilitySettings.Sqlite(DatabaseFile) with { SnapshotEvery = snapshotEvery, RecoveryGrace = grace ?? TimeSpan.FromSeconds(30) };

    /// <summary>A scheduler in a system of its own, persisting as <paramref name="durability"/> says.</summary>
    protected Generation Start(DurabilitySettings? durability = null, SchedulerSettings? settings = null)
    {
        var chosen = durability ?? Durability();
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(PersistenceConfig.For(chosen));
        var system = ActorSystem.Create("durable-" + _systems.Count, config);
        _systems.Add(system);
        var scheduler = system.ActorOf(SchedulerActor.Props(settings ?? SchedulerSettings.Default, chosen, Clock), "scheduler");
        return new Generation(this, system, scheduler);
    }

    /// <summary>Stops a generation's system, as its host going down would; what it acknowledged is in the file.</summary>
    protected static void Stop(Generation generation) =>
        Assert.True(generation.System.Terminate().Wait(Wait), "the actor system did not terminate");

    void IDisposable.Dispose()
    {
        foreach (var system in _systems) system.Terminate().Wait(Wait);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Dispose();
        base.Dispose();
    }

    /// <summary>One scheduler's lifetime: its system, the scheduler, a client probe, and helpers speaking the protocol.</summary>
    protected sealed class Generation(DurableSchedulerKit kit, ActorSystem system, IActorRef scheduler)
    {
        public ActorSystem System { get; } = system;
        public IActorRef Scheduler { get; } = scheduler;
        public TestProbe Client { get; } = kit.CreateTestProbe(system);

        public object Ask(object message)
        {
            Client.Send(Scheduler, message);
            return Client.ExpectMsg<object>(Wait);
        }

        public string Submit(string user = "alice", string task = "echo", int priority = 0, string? submissionId = null, string payload = "{}", int? maxAttempts = null) =>
            Assert.IsType<SubmissionAccepted>(Ask(new SubmitTask(task, payload, user, priority, SubmissionId: submissionId, MaxAttempts: maxAttempts))).TaskId;

        public TaskInfo Listed(string user, string taskId) =>
            Assert.IsType<TaskList>(Ask(new ListTasks(user))).Tasks.Single(t => t.TaskId == taskId);

        public IReadOnlyList<TaskInfo> Tasks(string user) => Assert.IsType<TaskList>(Ask(new ListTasks(user))).Tasks;

        /// <summary>A probe registered as worker node <paramref name="node"/>, reporting <paramref name="running"/>.</summary>
        public TestProbe Worker(string node, int slots = 1, params string[] running)
        {
            var probe = kit.CreateTestProbe(System);
            probe.Send(Scheduler, new RegisterWorker(node, new Dictionary<string, double>(), ["echo"], PriorityRange.All, slots, running.Length == 0 ? null : running));
            Assert.Equal(node, probe.ExpectMsg<WorkerRegistered>(Wait).Node);
            return probe;
        }

        /// <summary>Waits (bounded) until the listed task satisfies <paramref name="condition"/>.</summary>
        public void AwaitListed(string user, string taskId, Func<TaskInfo, bool> condition) =>
            kit.AwaitCondition(() => condition(Listed(user, taskId)), Wait, TimeSpan.FromMilliseconds(20));
    }
}
