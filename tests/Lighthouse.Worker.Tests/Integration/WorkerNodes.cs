using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Worker.Tests.Integration;

/// <summary>
/// Worker ActorSystems of their own (each a member at its own loopback address, as a worker process is) joining an
/// in-process <see cref="TestHost"/>, terminated when the test ends; and their warnings, for tests that read the log.
/// </summary>
internal sealed class WorkerNodes(TestHost host) : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> _systems = [];

    /// <summary>
    /// A cluster member of role worker configured with only what any Akka user writes plus <paramref name="extra"/>
    /// (inside <c>akka { }</c>); with <paramref name="lighthouseDefaults"/>, over <see cref="LighthouseConfig.Defaults"/>.
    /// </summary>
    public ActorSystem Start(string extra = "", bool seeded = true, bool lighthouseDefaults = false)
    {
        var seeds = seeded ? $"\"akka.tcp://{LighthouseNames.ActorSystem}@{host.Address}\"" : "";
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = INFO
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
              cluster { roles = ["worker"], seed-nodes = [{{seeds}}] }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              {{extra}}
            }
            """);
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, lighthouseDefaults ? config.WithFallback(LighthouseConfig.Defaults) : config);
        _systems.Add(system);
        return system;
    }

    /// <summary>Every warning <paramref name="system"/> logs from now on; read it under its lock.</summary>
    public static List<string> Warnings(ActorSystem system)
    {
        var warnings = new List<string>();
        var listener = system.ActorOf(Props.Create(() => new WarningCollector(warnings)));
        system.EventStream.Subscribe(listener, typeof(Warning));
        return warnings;
    }

    /// <summary>The warnings so far that contain <paramref name="text"/>.</summary>
    public static string[] Containing(List<string> warnings, string text)
    {
        lock (warnings) return warnings.Where(w => w.Contains(text, StringComparison.Ordinal)).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate().WaitAsync(StopLimit);
    }

    private sealed class WarningCollector : ReceiveActor
    {
        public WarningCollector(List<string> into) => Receive<Warning>(w => { lock (into) into.Add(w.Message?.ToString() ?? ""); });
    }
}

/// <summary>A test with an in-process host (no worker of its own) and <see cref="WorkerNodes"/> joining it, both stopped at its end.</summary>
public abstract class HostWithWorkerNodes : IAsyncLifetime
{
    private protected TestHost Host { get; private set; } = null!;

    private protected WorkerNodes Nodes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync(withWorker: false);
        Nodes = new WorkerNodes(Host);
    }

    public async Task DisposeAsync()
    {
        await Nodes.DisposeAsync();
        await Host.DisposeAsync();
    }
}
