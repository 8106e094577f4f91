using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lighthouse.Client;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Lighthouse.Actors.Tests.Hosting;

/// <summary>An application's own ActorSystem, built with Akka.Hosting, hosts the scheduler through <c>WithLighthouseScheduler</c>.</summary>
public sealed class SchedulerHostingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_hosted_system_runs_the_scheduler_singleton_for_its_own_actors_and_for_remote_clients()
    {
        using var limit = new CancellationTokenSource(Limit);
        await using var app = await HostedAkka.StartAsync(builder => builder
            .AddHocon(RemoteTestSystems.Cluster($"\"{LighthouseNames.SchedulerRole}\""), HoconAddMode.Prepend)
            // The application's own setting wins over the defaults the extension appends.
            .AddHocon("lighthouse.scheduler.queue-cap-per-user = 1", HoconAddMode.Prepend)
            .WithLighthouseScheduler()
            .WithActors((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress)), limit.Token);

        var proxy = await app.Services.GetRequiredService<ActorRegistry>().GetAsync<LighthouseScheduler>(limit.Token);
        Assert.Equal($"/user/{LighthouseNames.SchedulerProxy}", proxy.Path.ToStringWithoutAddress());

        var local = await proxy.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", "alice"), Limit);

        // From outside the cluster: ClusterClient to the receptionist, as the command line does.
        await using var client = await LighthouseClient.ConnectAsync($"127.0.0.1:{Cluster.Get(app.System).SelfAddress.Port}", cancellationToken: limit.Token);
        var remote = await client.SubmitAsync("echo", "{\"n\": 2}", "bob", cancellationToken: limit.Token);
        var info = await client.GetAsync(local.TaskId, limit.Token);
        Assert.NotEqual(local.TaskId, remote);
        Assert.Equal((TaskState.Queued, "no worker node is registered"), (info.State, info.PendingReason));

        var refused = await Assert.ThrowsAsync<LighthouseRejectedException>(() => client.SubmitAsync("echo", "{}", "alice", cancellationToken: limit.Token));
        Assert.Contains("user \"alice\" already has 1 queued tasks, the cap per user (lighthouse.scheduler.queue-cap-per-user = 1)", refused.Reason);
    }

    [Fact]
    public async Task A_system_without_the_scheduler_role_is_refused_with_the_reason()
    {
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, RemoteTestSystems.Cluster($"\"{LighthouseNames.WorkerRole}\""));
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() => LighthouseScheduler.Start(system, SchedulerSettings.Default));
            Assert.Equal("ActorSystem \"lighthouse\" lacks the cluster role \"scheduler\", so it could never run the scheduler: add it to akka.cluster.roles", refused.Message);
        }
        finally
        {
            await system.Terminate().WaitAsync(Limit);
        }
    }

    [Fact]
    public async Task A_system_without_the_cluster_provider_is_refused_with_the_reason()
    {
        var system = ActorSystem.Create("plain", RemoteTestSystems.Remote);
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() => LighthouseScheduler.Start(system, SchedulerSettings.Default));
            Assert.Contains("ActorSystem \"plain\" is not clustered: set akka.actor.provider = cluster", refused.Message);
        }
        finally
        {
            await system.Terminate().WaitAsync(Limit);
        }
    }
}
