using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lighthouse.Hosting;
using Lighthouse.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// The running <c>lighthouse-worker</c>: a Microsoft generic host whose Akka.Hosting ActorSystem is a member of the
/// Lighthouse cluster with role <c>worker</c>, running the hub through <see cref="WorkerHostingExtensions.WithLighthouseWorker(AkkaConfigurationBuilder, WorkerHub)"/>,
/// the same extension an application embedding a worker calls. It runs until Ctrl-C or SIGTERM, which leave the
/// cluster through coordinated shutdown (exit 0), or until the cluster removes this node (exit 1).
/// </summary>
internal static class WorkerProcess
{
    public const int Stopped = 0;
    public const int Removed = 1;

    public static async Task<int> RunAsync(WorkerLaunch launch, TextWriter stdout, TextWriter stderr)
    {
        WorkerHub hub;
        try
        {
            hub = launch.CreateHub();
        }
        catch (ArgumentException refused)
        {
            await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: {refused.Message}");
            return WorkerCommandLine.BadInput;
        }

        if (launch.Nice is { } nice && Processes.OwnPriority.SetNice(nice) is { } failure)
        {
            await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: --nice {nice}: cannot set this worker's priority: {failure}");
            return WorkerCommandLine.BadInput;
        }
        if (launch.InsecureOffLoopback)
            await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: warning: --insecure: the cluster port listens off loopback WITHOUT TLS; anything that reaches it can act as the scheduler toward this worker");
        string? name = null;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ServiceLogging.Configure(builder.Logging);
        builder.Services.AddAkka(LighthouseNames.ActorSystem, akka => akka
            .AddHocon(launch.AkkaConfig(), HoconAddMode.Prepend)
            .WithLighthouseTls(launch.Tls)
            .WithLighthouseWorker(hub)
            .AddStartup((system, _) =>
            {
                name = hub.ResolveNodeName(system);
                stdout.WriteLine($"{WorkerCommandLine.Name}: node \"{name}\" at {Cluster.Get(system).SelfAddress}, {hub.Slots} slots, " +
                                 $"handles {string.Join(", ", hub.TaskNames)}; joining {string.Join(", ", launch.Seeds)}");
                stdout.Flush();
            }));

        using var host = builder.Build();
        var shutdown = CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>());
        await host.RunAsync();

        if (shutdown.ShutdownReason is null or CoordinatedShutdown.ClrExitReason) return Stopped;
        await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: node \"{name}\" left the cluster ({shutdown.ShutdownReason.GetType().Name}); exiting");
        return Removed;
    }
}
