using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Hosting;

/// <summary>Configurations of in-test ActorSystems on loopback, any free port, reading the protocol with Lighthouse's serializer.</summary>
internal static class RemoteTestSystems
{
    /// <summary>A plain remote node: actors reachable from other systems, no cluster.</summary>
    public static Config Remote { get; } = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """).WithFallback(LighthouseSerialization.Configuration);

    /// <summary>
    /// A cluster node with <paramref name="roles"/>, the failure detector of config/lighthouse.conf, and downing far off
    /// (<paramref name="stableAfter"/>) unless a test wants it, so that an unreachable member stays a member.
    /// </summary>
    public static Config Cluster(string roles, string stableAfter = "60s", string extra = "") => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster {
          roles = [{{roles}}]
          failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 500ms }
          split-brain-resolver.stable-after = {{stableAfter}}
        }
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        {{extra}}
        """).WithFallback(Lighthouse.Hosting.LighthouseScheduler.RequiredConfig);

    public static RegisterWorker Registration(string node, int slots = 1) =>
        new(node, new Dictionary<string, double>(), ["echo"], PriorityRange.All, slots);

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;
}
