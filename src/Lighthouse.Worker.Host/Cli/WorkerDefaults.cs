namespace Lighthouse.Worker.Cli;

/// <summary>The runnable worker's Akka defaults, under whatever a config file and the command line set.</summary>
internal static class WorkerDefaults
{
    public const string Hocon =
        """
        akka {
          loglevel = INFO
          actor.provider = cluster
          # Loopback unless a config file says otherwise: a worker on another machine sets its hostname
          # (and public-hostname behind NAT) here, as the multi-machine examples show.
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = 0
            # Payloads and results up to the scheduler's 1 MiB cap must cross whole; Akka's default frame
            # (128000 bytes) would drop them and the connection with them. The host uses the same sizes.
            maximum-frame-size = 4MiB
            send-buffer-size = 4MiB
            receive-buffer-size = 4MiB
            # The agent batches its own reports; the transport's batching would only delay a lone one.
            batching.enabled = false
          }
          cluster {
            # Quick, safe failure detection, the same as the host's: a killed worker is unreachable within
            # about a second and removed (its tasks re-queued) within a few. The leader that downs nodes may
            # be any member, so workers must use the host's values.
            failure-detector {
              heartbeat-interval = 200ms
              acceptable-heartbeat-pause = 500ms
            }
            split-brain-resolver {
              stable-after = 1s
              # The same downing rule as the host's: the majority is counted over scheduler members, so a
              # lone host survives its dead workers whichever member leads.
              active-strategy = keep-majority
              keep-majority.role = "scheduler"
            }
            # A known Akka.NET start-up warning of singleton proxies, harmless and alarming.
            singleton-proxy.log-singleton-identification-failure = false
          }
        }
        """;
}
