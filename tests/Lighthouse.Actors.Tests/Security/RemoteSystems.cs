using Akka.Actor;
using Akka.Configuration;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>How the system a hostile peer talks to was readied.</summary>
public enum Readied
{
    /// <summary>Its configuration carries <see cref="LighthouseConfig.Defaults"/>.</summary>
    ConfiguredWithDefaults,

    /// <summary>Built by an embedder without Lighthouse's configuration; <see cref="LighthouseConfig.Prepare"/> (what every Lighthouse component calls) readied it after start.</summary>
    PreparedAfterStart,

    /// <summary>Plain Akka.NET, no Lighthouse: the control that shows the hazard.</summary>
    PlainAkka,
}

/// <summary>Remote ActorSystems on loopback for the refusal tests, all terminated on dispose.</summary>
public sealed class RemoteSystems : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly List<ActorSystem> _systems = [];

    /// <summary>A remote system on 127.0.0.1 and a free port; <paramref name="more"/> is added inside <c>akka { }</c>.</summary>
    public ActorSystem Start(string name, string more = "")
    {
        var system = ActorSystem.Create(name, Remote(more));
        _systems.Add(system);
        return system;
    }

    /// <summary>The system a peer talks to, readied as <paramref name="kind"/> says.</summary>
    public ActorSystem Start(Readied kind)
    {
        switch (kind)
        {
            case Readied.ConfiguredWithDefaults:
                var configured = ActorSystem.Create("lighthouse", Remote().WithFallback(LighthouseConfig.Defaults));
                _systems.Add(configured);
                return configured;
            case Readied.PreparedAfterStart:
                var system = Start("lighthouse", "remote.dot-netty.tcp.maximum-frame-size = 4MiB");
                LighthouseConfig.Prepare(system, "test");
                return system;
            default:
                return Start("plain");
        }
    }

    /// <summary>A non-remote system, e.g. to write what an attacker's own serializer would send.</summary>
    public ActorSystem StartLocal(string name)
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString("akka.loglevel = ERROR"));
        _systems.Add(system);
        return system;
    }

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private static Config Remote(string more = "") => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = ERROR
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          {{more}}
        }
        """);

    public void Dispose()
    {
        foreach (var system in _systems) system.Terminate().Wait(Timeout);
    }
}
