using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;
using Lighthouse.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Lighthouse.Worker.Tests.Hosting;

/// <summary>An ActorSystem set up by Akka.Hosting hosts the scheduler singleton and a worker added with <c>WithLighthouseWorker</c>.</summary>
public sealed class WorkerHostingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_hosted_system_runs_a_worker_that_registers_through_the_singleton_proxy_and_serves_tasks()
    {
        using var limit = new CancellationTokenSource(Limit);
        await using var app = await HostedAkka.StartAsync(builder =>
        {
            builder.AddHocon(TestHost.NodeConfig(LighthouseNames.SchedulerRole, LighthouseNames.WorkerRole), HoconAddMode.Prepend);
            builder.WithActors((system, _) =>
            {
                LighthouseScheduler.Start(system, SchedulerSettings.Default);
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
            builder.WithLighthouseWorker(o =>
            {
                o.NodeName = "hosted";
                o.Slots = 2;
                o.AddBuiltInHandlers();
            });
        }, limit.Token);

        var agent = await app.Services.GetRequiredService<ActorRegistry>().GetAsync<WorkerHub>(limit.Token);
        Assert.Equal($"/user/{LighthouseNames.WorkerAgent}", agent.Path.ToStringWithoutAddress());

        var client = WorkerHub.SchedulerProxy(app.System, "client");
        var id = await TestHost.SubmitAsync(client, "echo", "{\"hosted\": true}");
        var done = (await TestHost.AwaitTasksAsync(client, "alice", t => t.Single().State.IsFinished(), Limit)).Single();
        Assert.Equal((id, TaskState.Succeeded, "{\"hosted\": true}", "hosted"), (done.TaskId, done.State, done.Result, done.Node));
    }

    [Fact]
    public void Bad_options_fail_when_the_worker_is_added()
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), LighthouseNames.ActorSystem);
        var refused = Assert.Throws<ArgumentException>(() => builder.WithLighthouseWorker(o => o.Slots = 0));
        Assert.Equal("worker hub: slots is 0: a worker needs at least 1", refused.Message);
    }
}
