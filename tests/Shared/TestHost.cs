using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// A Lighthouse host in the test process, as <c>lighthouse serve</c> is to clients and workers: an ActorSystem named
/// <c>lighthouse</c>, a one-node cluster on 127.0.0.1 and a free port, the scheduler singleton with its proxy
/// registered with the ClusterClientReceptionist (<see cref="LighthouseScheduler.Start"/>), and, unless the test
/// brings its own workers, a <see cref="TestWorkerAgent"/>.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private TestHost(ActorSystem system, IActorRef scheduler)
    {
        System = system;
        Scheduler = scheduler;
    }

    public ActorSystem System { get; }

    /// <summary>The proxy to the scheduler singleton.</summary>
    public IActorRef Scheduler { get; }

    /// <summary><c>127.0.0.1:PORT</c>, what a client or a worker's seed connects to.</summary>
    public string Address => $"127.0.0.1:{Cluster.Get(System).SelfAddress.Port}";

    /// <summary>
    /// The HOCON of a loopback cluster node with <paramref name="roles"/> on any free port, with what every scheduler
    /// host needs (<see cref="LighthouseScheduler.RequiredConfig"/>: the Lighthouse serializer among it).
    /// </summary>
    public static Config NodeConfig(params string[] roles) =>
        ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              # Frames as large as the client's: payloads and results up to the scheduler's 1 MiB cap must fit.
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, maximum-frame-size = 4MiB }
              cluster.roles = [ {{string.Join(", ", roles.Select(role => $"\"{role}\""))}} ]
              # The test terminates its systems itself; at the test process's exit the hook would only do it again.
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """).WithFallback(LighthouseScheduler.RequiredConfig);

    /// <summary>Starts the host once its node is up; with <paramref name="withWorker"/> false no worker registers but those the test starts.</summary>
    public static async Task<TestHost> StartAsync(SchedulerSettings? settings = null, bool withWorker = true)
    {
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, NodeConfig(LighthouseNames.SchedulerRole));
        try
        {
            var cluster = Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            cluster.Join(cluster.SelfAddress);
            await up.Task.WaitAsync(StartTimeout);

            var scheduler = LighthouseScheduler.Start(system, settings ?? SchedulerSettings.Default);
            if (withWorker) system.ActorOf(TestWorkerAgent.Props(scheduler), "test-worker");
            return new TestHost(system, scheduler);
        }
        catch
        {
            await system.Terminate().WaitAsync(StartTimeout);
            throw;
        }
    }

    public static async Task<string> SubmitAsync(IActorRef scheduler, string task, string payload, string user = "alice") =>
        (await scheduler.Ask<SubmissionAccepted>(new SubmitTask(task, payload, user), AskTimeout)).TaskId;

    /// <summary>Lists the user's tasks (collecting none) until <paramref name="done"/> holds, within <paramref name="limit"/>.</summary>
    public static Task<IReadOnlyList<TaskInfo>> AwaitTasksAsync(IActorRef scheduler, string user, Func<IReadOnlyList<TaskInfo>, bool> done, TimeSpan limit) =>
        Eventually.Until(
            async () => (await scheduler.Ask<TaskList>(new ListTasks(user), AskTimeout)).Tasks,
            done,
            limit,
            $"the tasks of {user} done",
            tasks => string.Join("; ", tasks.Select(t => $"{t.TaskId} {t.State} {t.PendingReason}")));

    public async ValueTask DisposeAsync() => await System.Terminate().WaitAsync(StartTimeout);
}
