using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using Lighthouse.Client;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>WithLighthouseClient in an Akka.Hosting application, outside and inside the scheduler's cluster.</summary>
public sealed class ClientHostingTests
{
    [Fact]
    public async Task A_hosted_client_outside_the_cluster_reaches_the_host_through_ClusterClient()
    {
        await using var host = await TestHost.StartAsync();
        await using var app = await HostedApp.StartAsync(builder => builder
            .AddHocon("""akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }""", HoconAddMode.Prepend)
            .WithActorRefProvider(ProviderSelection.Remote.Instance)
            .WithLighthouseClient([host.Address]));

        var client = app.Registry.GetLighthouseClient();
        var id = await client.SubmitAsync("echo", "[1]", "alice").Within();

        Assert.Equal(("[1]", TaskState.Succeeded), ((await client.WaitAsync(id).Within()).Result, (await client.GetAsync(id)).State));
        Assert.Equal($"/user/{LighthouseClientHosting.ClientActorName}", client.Actor.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task A_hosted_client_inside_the_cluster_reaches_the_scheduler_singleton()
    {
        await using var app = await HostedApp.StartAsync(builder => builder
            .AddHocon($$"""
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.cluster.roles = [ "{{LighthouseNames.SchedulerRole}}" ]
                """, HoconAddMode.Prepend)
            .WithActorRefProvider(ProviderSelection.Cluster.Instance)
            .WithActors((system, _) =>
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
                system.ActorOf(ClusterSingletonManager.Props(
                    SchedulerActor.Props(SchedulerSettings.Default), PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(LighthouseNames.SchedulerRole)), LighthouseNames.SchedulerManager);
                var proxy = system.ActorOf(ClusterSingletonProxy.Props(LighthouseNames.SchedulerManagerPath,
                    ClusterSingletonProxySettings.Create(system).WithRole(LighthouseNames.SchedulerRole)), "worker-proxy");
                system.ActorOf(TestWorkerAgent.Props(proxy), "test-worker");
            })
            .WithLighthouseClient());

        var client = app.Registry.GetLighthouseClient();
        var id = await client.SubmitAsync("echo", """{"in": "cluster"}""", "alice").Within();

        Assert.Equal("""{"in": "cluster"}""", (await client.WaitAsync(id).Within()).Result);
    }

    [Fact]
    public async Task A_hosted_client_inside_a_cluster_it_never_joined_says_why_no_scheduler_answers()
    {
        await using var app = await HostedApp.StartAsync(builder => builder
            .AddHocon("""akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }""", HoconAddMode.Prepend)
            .WithActorRefProvider(ProviderSelection.Cluster.Instance)
            .WithLighthouseClient(options: new LighthouseClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500) }));

        var client = app.Registry.GetLighthouseClient();
        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() => client.SubmitAsync("echo", "[1]", "alice").Within());

        Assert.Contains("it never answered this client: this ActorSystem has not joined a cluster: akka.cluster.seed-nodes is empty and nothing called Cluster.Join", error.Message);
    }

    [Fact]
    public void A_bad_host_fails_while_the_application_is_configured()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<FormatException>(() =>
            services.AddAkka("bad", builder => builder.WithLighthouseClient(["nowhere:port"])).BuildServiceProvider().GetRequiredService<ActorSystem>());

        Assert.Contains("host \"nowhere:port\" is invalid", error.Message);
    }

    /// <summary>An Akka.Hosting application started and stopped by hand, without the generic host.</summary>
    private sealed class HostedApp : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly IHostedService[] _hosted;

        private HostedApp(ServiceProvider services, IHostedService[] hosted)
        {
            _services = services;
            _hosted = hosted;
        }

        public ActorRegistry Registry => _services.GetRequiredService<ActorRegistry>();

        public static async Task<HostedApp> StartAsync(Action<AkkaConfigurationBuilder> configure)
        {
            var services = new ServiceCollection();
            services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddSingleton<IHostApplicationLifetime, Lifetime>();
            services.AddAkka(LighthouseNames.ActorSystem, builder =>
            {
                builder.AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend);
                configure(builder);
            });
            var provider = services.BuildServiceProvider();
            var hosted = provider.GetServices<IHostedService>().ToArray();
            foreach (var service in hosted) await service.StartAsync(CancellationToken.None).Within();
            return new HostedApp(provider, hosted);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var service in _hosted.Reverse()) await service.StopAsync(CancellationToken.None).Within();
            await _services.DisposeAsync();
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() { }
    }
}
