using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// Stands between a scheduler and a TestProbe playing a worker node's agent: it passes every message on to the
/// probe, opening <see cref="MessageBatch"/>es (the scheduler batches starts and cancels when it has several), each
/// with the original sender, so the probe's replies go straight back. It stops when the probe does, so stopping the
/// probe still looks like the agent dying.
/// </summary>
internal sealed class UnbatchingAgent : ReceiveActor
{
    public UnbatchingAgent(IActorRef probe)
    {
        Receive<Terminated>(t => t.ActorRef.Equals(probe), _ => Context.Stop(Self));
        Receive<MessageBatch>(batch =>
        {
            foreach (var message in batch.Messages) probe.Tell(message, Sender);
        });
        ReceiveAny(message => probe.Tell(message, Sender));
        Context.Watch(probe);
    }

}

/// <summary>Creates <see cref="UnbatchingAgent"/>s (outside the actor, so the analyzer's rule against system-level ActorOf in actors is not at stake).</summary>
internal static class UnbatchingAgents
{
    /// <summary>An agent in <paramref name="system"/> for <paramref name="probe"/>: register with it as the sender.</summary>
    public static IActorRef For(ActorSystem system, IActorRef probe) =>
        system.ActorOf(Props.Create(() => new UnbatchingAgent(probe)));
}
