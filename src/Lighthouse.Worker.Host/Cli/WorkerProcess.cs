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
/// cluster through coordinated shutdown (exit 0).
/// <para>
/// When the cluster removes this node instead (it was downed: paused past the failure detector, a long GC, a frozen VM,
/// a partition), the process does not exit (issue 13): the stopped ActorSystem took its agent with it, which cancelled
/// the running tasks here (the scheduler re-queued them when it lost the node, and would refuse their late reports),
/// and a fresh host, a new incarnation on the same configured port, joins through the seeds again as a new member and
/// registers under the same node name. One line says so. A node removed again soon after joining waits a little
/// longer each time (<see cref="RejoinPacing"/>) before the next attempt.
/// </para>
/// </summary>
internal static class WorkerProcess
{
    public const int Stopped = 0;

    /// <summary>A new incarnation that could not start (its port still taken, say) after <see cref="StartAttempts"/> tries.</summary>
    public const int CannotRejoin = 1;

    private const int StartAttempts = 10;

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

        var pacing = new RejoinPacing();
        for (var incarnation = 1; ; incarnation++)
        {
            var started = DateTimeOffset.UtcNow;
            var outcome = await RunIncarnationAsync(launch, incarnation == 1 ? hub : launch.CreateHub(), retryStart: incarnation > 1, stdout, stderr);
            if (outcome.Exit is { } exit) return exit;

            // Removed from the cluster: a new member, at once after a healthy life, else after a pause that doubles.
            var delay = pacing.Next(DateTimeOffset.UtcNow - started);
            await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: node \"{outcome.Name}\" was removed from the cluster ({outcome.Reason}); " +
                                        "its running tasks were cancelled here (the scheduler runs them again elsewhere); " +
                                        $"joining again as a new member{(delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0} s" : "")}");
            await stderr.FlushAsync();
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
        }
    }

    /// <summary>How an incarnation ended: with the process's exit code, or removed from the cluster (<see cref="Exit"/> null).</summary>
    private sealed record Outcome(int? Exit, string? Name = null, string? Reason = null);

    /// <param name="retryStart">A later incarnation tries to start again for a while (its fixed port may not be free yet); the first fails at once.</param>
    private static async Task<Outcome> RunIncarnationAsync(WorkerLaunch launch, WorkerHub hub, bool retryStart, TextWriter stdout, TextWriter stderr)
    {
        for (var attempt = 1; ; attempt++)
        {
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
                    stdout.WriteLine($"{WorkerCommandLine.Name}: node \"{name}\" at {Cluster.Get(system).SelfAddress}, {hub.Slots} slots{(hub.Lanes is { } lanes ? $" in lanes {string.Join(", ", lanes)}" : "")}, " +
                                     $"handles {string.Join(", ", hub.TaskNames)}; joining {string.Join(", ", launch.Seeds)}");
                    stdout.Flush();
                }));

            using var host = builder.Build();
            var shutdown = CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>());
            try
            {
                await host.StartAsync();
            }
            catch (Exception e) when (retryStart && attempt < StartAttempts)
            {
                // A new incarnation on a fixed port may find the old one's socket not yet released.
                await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: could not start (attempt {attempt} of {StartAttempts}): {e.GetBaseException().Message}; trying again in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            catch (Exception e) when (retryStart)
            {
                await stderr.WriteLineAsync($"{WorkerCommandLine.Name}: could not start again: {e.GetBaseException().Message}");
                return new Outcome(CannotRejoin);
            }
            await host.WaitForShutdownAsync();

            if (shutdown.ShutdownReason is null or CoordinatedShutdown.ClrExitReason) return new Outcome(Stopped);
            return new Outcome(null, name, shutdown.ShutdownReason.GetType().Name);
        }
    }
}
