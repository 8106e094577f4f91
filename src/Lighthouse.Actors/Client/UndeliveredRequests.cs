using Akka.Actor;
using Akka.Event;

namespace Lighthouse.Client;

/// <summary>
/// Fails requests that reached a <see cref="SchedulerClientActor"/> after it stopped (they become dead letters), so
/// that no caller waits for an answer that cannot come, even when the actor was stopped by someone else than its
/// <see cref="LighthouseClient"/> (an application shutting down a hosted client). One listener per ActorSystem.
/// </summary>
internal sealed class UndeliveredRequests : IExtension
{
    private UndeliveredRequests(ExtendedActorSystem system)
    {
        var listener = system.SystemActorOf(Props.Create(() => new Listener()), "lighthouse-undelivered-requests");
        system.EventStream.Subscribe(listener, typeof(DeadLetter));
    }

    /// <summary>Makes sure <paramref name="system"/> has the listener.</summary>
    public static void EnsureListening(ActorSystem system) => system.WithExtension<UndeliveredRequests, Provider>();

    private sealed class Provider : ExtensionIdProvider<UndeliveredRequests>
    {
        public override UndeliveredRequests CreateExtension(ExtendedActorSystem system) => new(system);
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener() => Receive<DeadLetter>(dead =>
        {
            if (dead.Message is ClientCall call)
                call.Completion.TrySetException(new ObjectDisposedException(nameof(LighthouseClient), $"the Lighthouse client's actor {dead.Recipient.Path} has stopped"));
        });
    }
}
