using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;

namespace Lighthouse.Client;

/// <summary>The small ActorSystem that <see cref="LighthouseClient.ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/> creates for itself.</summary>
internal static class ClientActorSystem
{
    public const string Name = "lighthouse-client";

    public static ActorSystem Start(LighthouseClientOptions options) =>
        ActorSystem.Create(Name, Security.RemoteTls.Bootstrap(Configuration(options), options.Tls));

    /// <summary>
    /// Remote provider on an ephemeral port (a client needs no cluster membership), the Lighthouse serializer, and
    /// quiet logging: a command line must print nothing but its own output.
    /// </summary>
    public static Config Configuration(LighthouseClientOptions options) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = {{options.LogLevel.ToUpperInvariant()}}
          stdout-loglevel = {{options.LogLevel.ToUpperInvariant()}}
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.provider = remote
          remote {
            log-remote-lifecycle-events = off
            dot-netty.tcp {
              hostname = "{{options.LocalHostname}}"
              port = 0
              # Frame size and batching: Lighthouse's reference.conf (LighthouseConfig.Defaults).
            }
          }
          cluster.client {
            # Retry an unreachable host every second instead of every 3 s, so a host that starts later is found soon.
            establishing-get-contacts-interval = 1s
            # Give up on a receptionist after 3 s of silence, not Akka's 13 s: after kill -9 of the host the client
            # talks to, requests wait in ClusterClient's buffer until it moves to another contact, so this bounds
            # the client's fail-over. A host paused longer than this is dropped too, which is what a client wants.
            heartbeat-interval = 1s
            acceptable-heartbeat-pause = 3s
          }
          # The client's system exists only for this client: no reason to hold up the process on exit.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """)
        .WithFallback(LighthouseConfig.Defaults)
        // ClusterClient sends requests wrapped in DistributedPubSub's Send. Without that extension's serializer
        // bound from the start, the wrapper (and the request inside it) would go over the wire as slow default JSON.
        .WithFallback(DistributedPubSub.DefaultConfig())
        .WithFallback(ClusterClientReceptionist.DefaultConfig());
}
