using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Lighthouse.Client;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Lighthouse.Hosting;
using Lighthouse.Host.Web;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Lighthouse.Worker;
using Lighthouse.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lighthouse.Host.Serve;

/// <summary>
/// The running <c>lighthouse serve</c>: a Microsoft generic host whose Akka.Hosting ActorSystem <c>lighthouse</c> is a
/// cluster member of role scheduler, with the scheduler singleton and its proxy registered with the receptionist
/// (<see cref="LighthouseScheduler"/>), the in-process worker and the web monitor when configured. It prints one line
/// once the scheduler answers, and runs until Ctrl-C or SIGTERM, which leave the cluster through coordinated shutdown
/// (exit 0).
/// <para>
/// When the cluster removes this member instead (downed after a pause past the failure detector: a long GC, a frozen
/// VM, a partition), the process does not exit (issue 13): the stopped ActorSystem took its scheduler, if it ran here,
/// with it (the pause fence kept it from writing after it woke; docs/durability.md), and a new incarnation on the same
/// ports joins again as a standby through the other scheduler hosts it had seen and its configured seeds, never
/// itself, so that it cannot start a second cluster. One line on stderr says so; a host that keeps being removed soon
/// after joining waits longer each time (<see cref="RejoinPacing"/>). A host that knew no other host (it was alone)
/// has nothing to rejoin and exits 1 as before.
/// </para>
/// </summary>
internal static class LighthouseHost
{
    public const int Stopped = 0;
    public const int Removed = 1;

    /// <summary>A new incarnation may find its ports not yet released by the old one: it tries this often, 1 s apart.</summary>
    private const int StartAttempts = 10;

    /// <summary>How long one readiness question to the scheduler may take before it is asked again.</summary>
    private static readonly TimeSpan ReadinessAsk = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(HostSettings settings, TextWriter stdout, TextWriter stderr)
    {
        NativeAllocator.KeepFreedMemoryReturnable();
        // The database first: one that is unreachable, damaged or held by another host is a clear error now, not
        // a journal retrying in the background while the host claims to be up.
        DatabaseLock? database = null;
        try
        {
            database = DatabaseLock.Acquire(settings.Durability);
            await DatabaseCheck.VerifyAsync(settings.Durability);
        }
        catch (PersistenceStartupException e)
        {
            database?.Dispose();
            return Fail(stderr, e.Message, StartFailure.ExitCode);
        }
        using (database)
        {
            var pacing = new RejoinPacing();
            IReadOnlyList<string>? rejoinThrough = null;
            while (true)
            {
                var started = DateTimeOffset.UtcNow;
                var outcome = await RunIncarnationAsync(settings, rejoinThrough, stdout, stderr);
                if (outcome.Exit is { } exit) return exit;

                var removed = $"this node ({outcome.Self}) was removed from the cluster ({outcome.Reason})";
                if (outcome.RejoinThrough.Count == 0) return Fail(stderr, $"{removed} and knows no other host to join again through; exiting", Removed);
                var delay = pacing.Next(DateTimeOffset.UtcNow - started);
                await stderr.WriteLineAsync($"{Cli.LighthouseCommandLine.Name} serve: {removed}; joining again as a standby through " +
                                            $"{string.Join(", ", outcome.RejoinThrough)}{(delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0} s" : "")}");
                await stderr.FlushAsync();
                if (delay > TimeSpan.Zero) await Task.Delay(delay);
                rejoinThrough = outcome.RejoinThrough;
            }
        }
    }

    /// <summary>How an incarnation ended: with the process's exit code, or removed from the cluster (<see cref="Exit"/> null).</summary>
    private sealed record Outcome(int? Exit, string? Self = null, string? Reason = null, IReadOnlyList<string>? Through = null)
    {
        public IReadOnlyList<string> RejoinThrough => Through ?? [];
    }

    /// <param name="rejoinThrough">Null for the first incarnation; for a later one, the hosts it joins through (tried again while its ports are not free).</param>
    private static async Task<Outcome> RunIncarnationAsync(HostSettings settings, IReadOnlyList<string>? rejoinThrough, TextWriter stdout, TextWriter stderr)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await RunClusterAsync(settings, rejoinThrough, stdout, stderr, quietStartFailure: rejoinThrough is not null && attempt < StartAttempts);
            if (outcome is not null) return outcome;
            await stderr.WriteLineAsync($"{Cli.LighthouseCommandLine.Name} serve: could not start again (attempt {attempt} of {StartAttempts}); trying again in 1 s");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// The host as an application of the library: a generic host whose Akka.Hosting ActorSystem runs the scheduler
    /// (<see cref="SqlJournalHosting.WithLighthouseSqlScheduler"/>) and the local worker (<c>WithLighthouseWorker</c>),
    /// the same extensions an embedding application calls.
    /// </summary>
    /// <returns>Null when it could not start and <paramref name="quietStartFailure"/> asks to be tried again.</returns>
    private static async Task<Outcome?> RunClusterAsync(HostSettings settings, IReadOnlyList<string>? rejoinThrough, TextWriter stdout, TextWriter stderr, bool quietStartFailure)
    {
        var where = $"{settings.Hostname}:{settings.Port}";
        var peers = new ConcurrentDictionary<Address, byte>();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ServiceLogging.Configure(builder.Logging);
        builder.Services.AddAkka(LighthouseNames.ActorSystem, akka =>
        {
            akka.AddHocon(settings.Akka, HoconAddMode.Prepend);
            // A rejoining host joins through the others only: as its own seed it could start a cluster of its own.
            if (rejoinThrough is not null)
                akka.AddHocon($"{HostConfiguration.SeedNodes} = [{string.Join(", ", rejoinThrough.Select(HostValues.Quote))}]", HoconAddMode.Prepend);
            akka.WithLighthouseTls(settings.Credentials)
                .WithLighthouseSqlScheduler(settings.Durability, settings.Scheduler);
            if (settings.LocalWorker is { } local)
            {
                akka.WithLighthouseWorker(o => { o.Slots = local.Slots; o.TaskNice = local.Nice; o.AddBuiltInHandlers(); },
                    (_, registry) => registry.Get<LighthouseScheduler>());
            }
            akka.WithActors((system, _) =>
            {
                system.Log.Info("the scheduler's state is kept in the {0}", settings.Durability.Describe());
                if (settings.Credentials is { } tls)
                    system.Log.Info("mutual TLS on the cluster port as {0}, peers checked against CA \"{1}\"", tls.Identity, tls.Authority.Subject);
                else if (settings.InsecureOffLoopback)
                    system.Log.Warning("--insecure: the cluster port listens off loopback WITHOUT TLS; anything that reaches it can act as any worker or user");
                // With seeds the cluster joins them on its own; without, this host starts a cluster of its own.
                var cluster = Cluster.Get(system);
                if (settings.Seeds.Count == 0 && rejoinThrough is null) cluster.Join(cluster.SelfAddress);
                system.ActorOf(Props.Create(() => new PeerHostsWatcher(peers)), "lighthouse-peer-hosts");
            });
        });

        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception) when (quietStartFailure)
        {
            return null;
        }
        catch (Exception e)
        {
            var (message, exitCode) = StartFailure.OfCluster(e, where);
            return new Outcome(Fail(stderr, message, exitCode));
        }

        var system = host.Services.GetRequiredService<ActorSystem>();
        var scheduler = host.Services.GetRequiredService<IReadOnlyActorRegistry>().Get<LighthouseScheduler>();
        var shutdown = CoordinatedShutdown.Get(system);
        string? monitor = null;
        if (settings.Http is { } http)
        {
            try
            {
                monitor = await StartWebAsync(http, scheduler, system, shutdown);
            }
            catch (Exception e)
            {
                await host.StopAsync();
                if (quietStartFailure) return null;
                return new Outcome(Fail(stderr, StartFailure.OfHttp(e, http.Url), StartFailure.ExitCode));
            }
        }

        var clusterNode = Cluster.Get(system);
        clusterNode.RegisterOnMemberUp(() => _ = AnnounceWhenReadyAsync(system, scheduler, settings, monitor, stdout));
        // Returns once Ctrl-C or SIGTERM stopped the host, or the ActorSystem ended on its own (Akka.Hosting then stops the host).
        await host.WaitForShutdownAsync();
        if (shutdown.ShutdownReason is null or CoordinatedShutdown.ClrExitReason) return new Outcome(Stopped);
        var self = clusterNode.SelfAddress;
        return new Outcome(null, self.ToString(), shutdown.ShutdownReason.GetType().Name, RejoinThrough(settings.Seeds, self, peers.Keys));
    }

    /// <summary>
    /// Whom a removed host joins again through: its configured seeds first (the operator's choice), then the scheduler
    /// hosts it saw, each once, and never itself (as its own seed it could start a cluster of its own).
    /// </summary>
    internal static IReadOnlyList<string> RejoinThrough(IEnumerable<string> seeds, Address self, IEnumerable<Address> peers) =>
        seeds.Where(seed => !IsSelf(Address.Parse(seed), self))
            .Concat(peers.Where(peer => !IsSelf(peer, self)).Select(peer => peer.ToString()).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();

    private static bool IsSelf(Address address, Address self) =>
        string.Equals(address.Host, self.Host, StringComparison.OrdinalIgnoreCase) && address.Port == self.Port;

    /// <summary>Starts the web app; it stops first when the system shuts down, so no request waits on a stopped scheduler.</summary>
    private static async Task<string> StartWebAsync(WebOptions options, IActorRef scheduler, ActorSystem system, CoordinatedShutdown shutdown)
    {
        var app = LighthouseWeb.Build(options, scheduler, system);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
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
        // In a session when the host has TLS credentials: a secure scheduler answers a plain request "not authorized".
        var session = SessionKeeper.For(scheduler);
        while (!system.WhenTerminated.IsCompleted)
        {
            try
            {
                if (await session.Ask(GetQueues.Instance, ReadinessAsk, CancellationToken.None) is not QueuesView)
                    throw new InvalidOperationException("the scheduler did not answer this host's readiness query with its queues");
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
        var worker = settings.LocalWorker switch
        {
            null => "off",
            { Nice: { } nice } local => $"{local.Slots} slots at nice {nice}",
            var local => $"{local.Slots} slots",
        };
        stdout.WriteLine($"lighthouse up at {cluster.SelfAddress} (scheduler singleton: {at}, local worker: {worker}, monitor: {monitor ?? "off"})");
        stdout.Flush();
    }

    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine($"{Cli.LighthouseCommandLine.Name} serve: {message}");
        return exitCode;
    }
}
