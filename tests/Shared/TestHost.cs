using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Lighthouse.Hosting;
using Lighthouse.Scheduling;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// A Lighthouse host in the test process, as <c>lighthouse serve</c> is to clients: an ActorSystem named
/// <c>lighthouse</c>, a one-node cluster on 127.0.0.1 and a free port, the scheduler singleton with its proxy
/// registered with the ClusterClientReceptionist (<see cref="LighthouseScheduler.Start"/>), and a <see cref="TestWorkerAgent"/>.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private TestHost(ActorSystem system, IActorRef scheduler)
    {
        System = system;
        Scheduler = scheduler;
    }

    public ActorSystem System { get; }

    /// <summary>The proxy to the scheduler singleton.</summary>
    public IActorRef Scheduler { get; }

    /// <summary><c>127.0.0.1:PORT</c>, what a client connects to.</summary>
    public string Address => $"127.0.0.1:{Cluster.Get(System).SelfAddress.Port}";

    public static async Task<TestHost> StartAsync(SchedulerSettings? settings = null, bool withWorker = true)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              # Frames as large as the client's: payloads and results up to the scheduler's 1 MiB cap must fit.
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, maximum-frame-size = 4MiB }
              cluster.roles = [ "{{LighthouseNames.SchedulerRole}}" ]
            }
            """).WithFallback(LighthouseScheduler.RequiredConfig);
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, config);
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

    public async ValueTask DisposeAsync() => await System.Terminate().WaitAsync(StartTimeout);
}
