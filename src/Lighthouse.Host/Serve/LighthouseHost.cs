using System.Runtime.InteropServices;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lighthouse.Hosting;
using Lighthouse.Host.Web;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Lighthouse.Worker;
using Microsoft.AspNetCore.Builder;

namespace Lighthouse.Host.Serve;

/// <summary>
/// The running <c>lighthouse serve</c>: the ActorSystem <c>lighthouse</c> as a cluster member of role scheduler, the
/// scheduler singleton with its proxy registered with the receptionist (<see cref="LighthouseScheduler"/>), the
/// in-process worker and the web monitor when configured. It prints one line once the scheduler answers, and runs
/// until Ctrl-C or SIGTERM, which leave the cluster through coordinated shutdown (exit 0), or until the cluster
/// removes this member (exit 1).
/// </summary>
internal static class LighthouseHost
{
    public const int Stopped = 0;
    public const int Removed = 1;

    /// <summary>How long one readiness question to the scheduler may take before it is asked again.</summary>
    private static readonly TimeSpan ReadinessAsk = TimeSpan.FromSeconds(5);

    public static int Run(HostSettings settings, TextWriter stdout, TextWriter stderr)
    {
        // The database first: one that is unreachable, damaged or held by another host is a clear error now, not
        // a journal retrying in the background while the host claims to be up.
        DatabaseLock? database = null;
        try
        {
            database = DatabaseLock.Acquire(settings.Durability);
            DatabaseCheck.VerifyAsync(settings.Durability).GetAwaiter().GetResult();
        }
        catch (PersistenceStartupException e)
        {
            database?.Dispose();
            return Fail(stderr, e.Message, StartFailure.ExitCode);
        }
        using (database) return RunCluster(settings, stdout, stderr);
    }

    private static int RunCluster(HostSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var where = $"{settings.Hostname}:{settings.Port}";
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(LighthouseNames.ActorSystem, settings.Akka);
        }
        catch (Exception e)
        {
            var (message, exitCode) = StartFailure.OfCluster(e, where);
            return Fail(stderr, message, exitCode);
        }

        using (system)
        {
            system.Log.Info("the scheduler's state is kept in the {0}", settings.Durability.Describe());
            if (settings.Durability.Provider == PersistenceProvider.Sqlite && settings.Seeds.Count > 0)
            {
                system.Log.Warning("this host joins a cluster, but the scheduler's state is in an SQLite file on this machine only: " +
                    "a scheduler singleton that moves to another host will not find it there. Use lighthouse.persistence.provider = postgresql for several hosts");
            }

            var shutdown = CoordinatedShutdown.Get(system);
            var requested = false;
            void Leave(PosixSignalContext signal)
            {
                // Leave the cluster (handing the singleton over) and stop in order, instead of dying at once.
                signal.Cancel = true;
                requested = true;
                _ = shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance);
            }
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);

            var scheduler = LighthouseScheduler.Start(system, settings.Scheduler, durability: settings.Durability.Scheduler);
            if (settings.LocalWorkerSlots is { } slots)
                WorkerHub.Create(o => { o.Slots = slots; o.AddBuiltInHandlers(); }).Start(system, scheduler);

            var cluster = Cluster.Get(system);
            // With seeds the cluster joins them on its own; without, this host starts a cluster of its own.
            if (settings.Seeds.Count == 0) cluster.Join(cluster.SelfAddress);

            string? monitor = null;
            if (settings.Http is { } http)
            {
                try
                {
                    monitor = StartWeb(http, scheduler, system, shutdown);
                }
                catch (Exception e)
                {
                    shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(TimeSpan.FromSeconds(30));
                    return Fail(stderr, StartFailure.OfHttp(e, http.Url), StartFailure.ExitCode);
                }
            }

            cluster.RegisterOnMemberUp(() => _ = AnnounceWhenReadyAsync(system, scheduler, settings, monitor, stdout));
            system.WhenTerminated.Wait();
            if (requested) return Stopped;
            return Fail(stderr, $"this node ({cluster.SelfAddress}) was removed from the cluster ({shutdown.ShutdownReason?.GetType().Name ?? "its ActorSystem terminated"}); exiting", Removed);
        }
    }

    /// <summary>Starts the web app; it stops first when the system shuts down, so no request waits on a stopped scheduler.</summary>
    private static string StartWeb(WebOptions options, IActorRef scheduler, ActorSystem system, CoordinatedShutdown shutdown)
    {
        var app = LighthouseWeb.Build(options, scheduler, system);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-web-monitor", async () =>
        {
            await app.StopAsync();
            await app.DisposeAsync();
            return Done.Instance;
        });
        return LighthouseWeb.ListeningAddress(app).ToString().TrimEnd('/');
    }

    /// <summary>Prints the "up" line once the scheduler singleton answers through the proxy, i.e. tasks can be submitted.</summary>
    private static async Task AnnounceWhenReadyAsync(ActorSystem system, IActorRef scheduler, HostSettings settings, string? monitor, TextWriter stdout)
    {
        while (!system.WhenTerminated.IsCompleted)
        {
            try
            {
                await scheduler.Ask<QueuesView>(GetQueues.Instance, ReadinessAsk);
                break;
            }
            catch (AskTimeoutException)
            {
                // The singleton is still starting or being handed over; the proxy buffers, so ask again.
            }
        }
        if (system.WhenTerminated.IsCompleted) return;

        var cluster = Cluster.Get(system);
        var singleton = cluster.State.Members
            .Where(m => m.HasRole(LighthouseNames.SchedulerRole) && m.Status == MemberStatus.Up)
            .OrderBy(m => m, Member.AgeOrdering)
            .FirstOrDefault();
        var at = singleton is null || singleton.Address.Equals(cluster.SelfAddress) ? "this node" : singleton.Address.ToString();
        var worker = settings.LocalWorkerSlots is { } slots ? $"{slots} slots" : "off";
        stdout.WriteLine($"lighthouse up at {cluster.SelfAddress} (scheduler singleton: {at}, local worker: {worker}, monitor: {monitor ?? "off"})");
        stdout.Flush();
    }

    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine($"{Cli.LighthouseCommandLine.Name} serve: {message}");
        return exitCode;
    }
}
