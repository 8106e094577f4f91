using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Lighthouse.Actors.Tests.Scheduling;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;
using Microsoft.Data.Sqlite;
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

    protected SqlDurabilitySettings Durability(int snapshotEvery = 10_000, TimeSpan? grace = null) =>
        SqlDurabilitySettings.Sqlite(DatabaseFile).WithScheduler(s => s with
        {
            SnapshotEvery = snapshotEvery,
            // These tests hold a handful of tasks and want snapshots at the interval they name.
            SnapshotEventsPerTask = 0,
            RecoveryGrace = grace ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>
    /// A scheduler in a system of its own, persisting as <paramref name="durability"/> says. <paramref name="beforeStart"/>
    /// runs on the new system before the scheduler exists (to listen to its log, say).
    /// </summary>
    protected Generation Start(SqlDurabilitySettings? durability = null, SchedulerSettings? settings = null, Action<ActorSystem>? beforeStart = null)
    {
        var chosen = durability ?? Durability();
        var system = NewSystem(chosen);
        beforeStart?.Invoke(system);
        var scheduler = system.ActorOf(SchedulerActor.Props(settings ?? SchedulerSettings.Default, chosen.Scheduler, Clock), "scheduler");
        return new Generation(this, system, scheduler);
    }

    /// <summary>An actor system with the persistence configuration of <paramref name="durability"/>, stopped when the test ends.</summary>
    protected ActorSystem NewSystem(SqlDurabilitySettings durability)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(durability.Config);
        var system = ActorSystem.Create("durable-" + _systems.Count, config);
        _systems.Add(system);
        return system;
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="file"/> (the test's database unless given) and returns its one value (0 for none).</summary>
    protected long Scalar(string sql, string? file = null)
    {
        using var db = new SqliteConnection($"Data Source={file ?? DatabaseFile};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }

    /// <summary>
    /// Every read model as JSON text, so two schedulers' answers compare by content. Node reachability and
    /// pending reasons are left out: after a recovery every node is away until it registers again.
    /// </summary>
    protected static StateViews Views(Generation generation)
    {
        var users = Assert.IsType<QueuesView>(generation.Ask(GetQueues.Instance)).Users.Select(u => u.UserId)
            .Concat(["alice", "bob"]).Distinct().Order(StringComparer.Ordinal);
        var tasks = users.SelectMany(generation.Tasks).Select(t => t with { PendingReason = null }).ToList();
        var nodes = Assert.IsType<NodesView>(generation.Ask(GetNodes.Instance)).Nodes.Select(n => n with { State = WorkerNodeState.Reachable });
        return new StateViews(
            JsonSerializer.Serialize(nodes),
            JsonSerializer.Serialize(generation.Ask(GetQueues.Instance)),
            JsonSerializer.Serialize(generation.Ask(GetStatistics.Instance)),
            JsonSerializer.Serialize(generation.Ask(GetHistory.Instance)),
            JsonSerializer.Serialize(tasks));
    }

    /// <summary>Read models as JSON text.</summary>
    protected sealed record StateViews(string Nodes, string Queues, string Statistics, string History, string Tasks);

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

        /// <summary>
        /// A probe registered as worker node <paramref name="node"/>, reporting <paramref name="running"/>. It registers
        /// through an agent that opens the scheduler's batches, so it sees starts and cancels one by one (and, when
        /// <paramref name="passAcknowledgements"/>, the scheduler's <see cref="ReportsAcknowledged"/>).
        /// </summary>
        public TestProbe Worker(string node, int slots = 1, params string[] running) => Worker(node, passAcknowledgements: false, slots, running);

        public TestProbe Worker(string node, bool passAcknowledgements, int slots = 1, params string[] running)
        {
            var probe = kit.CreateTestProbe(System);
            Scheduler.Tell(new RegisterWorker(node, new Dictionary<string, double>(), ["echo"], PriorityRange.All, slots, running.Length == 0 ? null : running),
                UnbatchingAgents.For(System, probe.Ref, passAcknowledgements));
            Assert.Equal(node, probe.ExpectMsg<WorkerRegistered>(Wait).Node);
            return probe;
        }

        /// <summary>Waits (bounded) until the listed task satisfies <paramref name="condition"/>.</summary>
        public void AwaitListed(string user, string taskId, Func<TaskInfo, bool> condition) =>
            kit.AwaitCondition(() => condition(Listed(user, taskId)), Wait, TimeSpan.FromMilliseconds(20));
    }
}
