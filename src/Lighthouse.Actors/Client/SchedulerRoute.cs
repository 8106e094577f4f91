using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.Singleton;

namespace Lighthouse.Client;

/// <summary>How the client actor reaches the scheduler. Chosen once, when the client is created.</summary>
internal abstract record SchedulerRoute
{
    /// <summary>Where requests go, created (if it is a child) in the client actor's context.</summary>
    public abstract IActorRef Start(IActorContext context);

    /// <summary>The message to send to <see cref="Start"/>'s actor for <paramref name="request"/>.</summary>
    public virtual object Envelope(object request) => request;

    /// <summary>Where the client sends, for <see cref="LighthouseUnavailableException.Address"/>.</summary>
    public abstract string Address { get; }

    /// <summary>Where the client sends, as a sentence reads it: "no answer from {Description}".</summary>
    public abstract string Description { get; }

    /// <summary>A scheduler, or a singleton proxy, in the caller's own ActorSystem or cluster.</summary>
    public sealed record Direct(IActorRef Scheduler) : SchedulerRoute
    {
        public override IActorRef Start(IActorContext context) => Scheduler;

        public override string Address => Scheduler.Path.ToString();

        public override string Description => $"the scheduler at {Address}";
    }

    /// <summary>
    /// A Lighthouse host outside the caller's cluster, through Akka's ClusterClient to the receptionists at
    /// <paramref name="Contacts"/>; the host registers its scheduler proxy there under <see cref="LighthouseNames.SchedulerProxyPath"/>.
    /// </summary>
    public sealed record Receptionist(IReadOnlyList<ActorPath> Contacts) : SchedulerRoute
    {
        // ClusterClient buffers while it is not connected, and drops the oldest beyond this; 10,000 is its maximum.
        private const int BufferSize = 10_000;

        public override IActorRef Start(IActorContext context)
        {
            var settings = ClusterClientSettings.Create(context.System)
                .WithInitialContacts(Contacts.ToImmutableHashSet())
                .WithBufferSize(BufferSize);
            return context.ActorOf(ClusterClient.Props(settings), "cluster-client");
        }

        // Local affinity: with several hosts, prefer the proxy on the receptionist's own node (one hop fewer).
        public override object Envelope(object request) => new ClusterClient.Send(LighthouseNames.SchedulerProxyPath, request, localAffinity: true);

        public override string Address => string.Join(", ", Contacts.Select(LighthouseContacts.Describe));

        public override string Description => $"the Lighthouse host at {Address}";
    }

    /// <summary>Inside the scheduler's cluster: a singleton proxy of the client's own, to the manager of role <see cref="LighthouseNames.SchedulerRole"/>.</summary>
    public sealed record Singleton : SchedulerRoute
    {
        public override IActorRef Start(IActorContext context)
        {
            var settings = LighthouseConfig.SchedulerProxySettings(context.System);
            return context.ActorOf(ClusterSingletonProxy.Props(LighthouseNames.SchedulerManagerPath, settings), "scheduler-proxy");
        }

        public override string Address => LighthouseNames.SchedulerManagerPath;

        public override string Description => $"the scheduler singleton of {Address} (role {LighthouseNames.SchedulerRole})";
    }
}
