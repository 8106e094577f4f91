using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Lighthouse.Client;

namespace Lighthouse.Hosting;

/// <summary>Adds a Lighthouse client to an Akka.Hosting ActorSystem.</summary>
public static class LighthouseClientHosting
{
    /// <summary>The client actor's name under <c>/user</c>.</summary>
    public const string ClientActorName = "lighthouse-client";

    /// <summary>
    /// Starts a <see cref="SchedulerClientActor"/> and registers it in the ActorRegistry under
    /// <see cref="SchedulerClientActor"/>; get a client with <see cref="GetLighthouseClient"/>.
    /// With <paramref name="hosts"/> (<c>HOST:PORT</c> of Lighthouse hosts) the system is outside the scheduler's
    /// cluster and reaches it through ClusterClient; without, the system is a member of that cluster and reaches the
    /// scheduler singleton through a proxy. Adds the Lighthouse serializer, which every node talking to the scheduler needs.
    /// Throws <see cref="FormatException"/> naming a host that cannot be parsed.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseClient(
        this AkkaConfigurationBuilder builder,
        IReadOnlyList<string>? hosts = null,
        LighthouseClientOptions? options = null)
    {
        // Parsed now, so that a bad address fails while the application is being configured, not at start-up;
        // the scheme is settled at start, when the system's TLS (WithLighthouseTls) is known.
        var contacts = hosts?.Select(LighthouseContacts.Parse).ToArray() ?? [];
        var validated = (options ?? LighthouseClientOptions.Default).Validated();

        // Outside the cluster the client speaks through ClusterClient, which wraps each request in DistributedPubSub's
        // Send: without that extension's serializer bound, the wrapper would cross as slow default JSON.
        if (contacts.Length > 0)
            builder.AddHocon(DistributedPubSub.DefaultConfig().WithFallback(ClusterClientReceptionist.DefaultConfig()), HoconAddMode.Append);
        return builder
            .AddHocon(LighthouseConfig.Defaults, HoconAddMode.Append)
            .WithActors((system, registry) =>
            {
                LighthouseConfig.Prepare(system, "Lighthouse client");
                var tls = Security.RemoteTls.CredentialsOf(system) is not null;
                var props = contacts.Length > 0
                    ? SchedulerClientActor.PropsForHost(contacts.Select(c => LighthouseContacts.Parse(c.ToString(), tls)).ToArray(), validated)
                    : SchedulerClientActor.PropsInCluster(validated);
                registry.Register<SchedulerClientActor>(system.ActorOf(props, ClientActorName));
            });
    }

    /// <summary>A <see cref="LighthouseClient"/> over the actor <see cref="WithLighthouseClient"/> registered; disposing it leaves the actor running.</summary>
    public static LighthouseClient GetLighthouseClient(this IReadOnlyActorRegistry registry) =>
        LighthouseClient.Over(registry.Get<SchedulerClientActor>());
}
