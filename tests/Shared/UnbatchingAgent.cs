using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// Stands between a scheduler and a TestProbe playing a worker node's agent: it passes every message on to the
/// probe, opening <see cref="MessageBatch"/>es (the scheduler batches starts and cancels when it has several), each
/// with the original sender, so the probe's replies go straight back. It stops when the probe does, so stopping the
/// probe still looks like the agent dying. <see cref="ReportsAcknowledged"/> is kept from the probe unless asked for:
/// a real agent acts on it silently, and most tests are about what the scheduler starts and cancels.
/// </summary>
internal sealed class UnbatchingAgent : ReceiveActor
{
    public UnbatchingAgent(IActorRef probe, bool passAcknowledgements)
    {
        Receive<Terminated>(t => t.ActorRef.Equals(probe), _ => Context.Stop(Self));
        Receive<MessageBatch>(batch =>
        {
            foreach (var message in batch.Messages) Pass(message);
        });
        ReceiveAny(Pass);
        Context.Watch(probe);

        void Pass(object message)
        {
            if (message is ReportsAcknowledged && !passAcknowledgements) return;
            probe.Tell(message, Sender);
        }
    }
}

/// <summary>Creates <see cref="UnbatchingAgent"/>s (outside the actor, so the analyzer's rule against system-level ActorOf in actors is not at stake).</summary>
internal static class UnbatchingAgents
{
    /// <summary>An agent in <paramref name="system"/> for <paramref name="probe"/>: register with it as the sender.</summary>
    public static IActorRef For(ActorSystem system, IActorRef probe, bool passAcknowledgements = false) =>
        system.ActorOf(Props.Create(() => new UnbatchingAgent(probe, passAcknowledgements)));
}
