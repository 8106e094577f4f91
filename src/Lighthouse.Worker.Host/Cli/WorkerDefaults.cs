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
            # Frame and buffer sizes and batching come from Lighthouse's reference.conf (LighthouseConfig.Defaults).
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
              # lone host survives its dead workers whichever member leads. Hosts set to lease-majority
              # (lighthouse.host.downing, two hosts on PostgreSQL) need the same rule on every worker
              # (--downing lease-majority); its lease is taken by a host it reaches (DelegatedLease).
              active-strategy = keep-majority
              keep-majority.role = "scheduler"
            }
          }
        }
        """;
}
