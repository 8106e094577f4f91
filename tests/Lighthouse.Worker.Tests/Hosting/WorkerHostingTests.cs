using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lighthouse.Worker.Tests.Hosting;

/// <summary>An ActorSystem set up by Akka.Hosting hosts the scheduler singleton and a worker added with <c>WithLighthouseWorker</c>.</summary>
public sealed class WorkerHostingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_hosted_system_runs_a_worker_that_registers_through_the_singleton_proxy_and_serves_tasks()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, NoApplicationLifetime>();
        services.AddAkka(LighthouseNames.ActorSystem, builder =>
        {
            builder.AddHocon(ClusterHost.NodeConfig(LighthouseNames.SchedulerRole, LighthouseNames.WorkerRole), HoconAddMode.Prepend);
            builder.WithActors((system, _) =>
            {
                ClusterHost.StartScheduler(system);
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
            builder.WithLighthouseWorker(o =>
            {
                o.NodeName = "hosted";
                o.Slots = 2;
                o.AddBuiltInHandlers();
            });
        });

        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        using var limit = new CancellationTokenSource(Limit);
        foreach (var service in hosted) await service.StartAsync(limit.Token);
        try
        {
            var system = provider.GetRequiredService<ActorSystem>();
            var agent = await provider.GetRequiredService<ActorRegistry>().GetAsync<WorkerHub>(limit.Token);
            Assert.Equal($"/user/{LighthouseNames.WorkerAgent}", agent.Path.ToStringWithoutAddress());

            var client = WorkerHub.SchedulerProxy(system, "client");
            var id = await ClusterHost.SubmitAsync(client, "echo", "{\"hosted\": true}");
            var done = (await ClusterHost.AwaitTasksAsync(client, "alice", t => t.Single().State.IsFinished(), Limit)).Single();
            Assert.Equal((id, TaskState.Succeeded, "{\"hosted\": true}", "hosted"), (done.TaskId, done.State, done.Result, done.Node));
        }
        finally
        {
            foreach (var service in hosted) await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Bad_options_fail_when_the_worker_is_added()
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), LighthouseNames.ActorSystem);
        var refused = Assert.Throws<ArgumentException>(() => builder.WithLighthouseWorker(o => o.Slots = 0));
        Assert.Equal("worker hub: slots is 0: a worker needs at least 1", refused.Message);
    }

    /// <summary>Akka.Hosting asks for the application's lifetime; a test has no application around it.</summary>
    private sealed class NoApplicationLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() { }
    }
}
