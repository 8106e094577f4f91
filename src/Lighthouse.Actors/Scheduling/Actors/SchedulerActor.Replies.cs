using Akka.Actor;
using Lighthouse.Messaging;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// How what the scheduler says leaves it: answers wrapped for correlated requests, held until the mailbox is drained
// and batched per client or watcher (Outbox), straight to a node's actor (which batches for its worker), and never
// before the journal writes they depend on.
public sealed partial class SchedulerActor
{
    /// <summary>
    /// How a message leaves: alone (a plain <c>Ask</c> gets its one answer unbatched), batched with others for the same
    /// client or watcher, or at once to a node's <see cref="NodeStateActor"/>, whose outbox batches for its worker.
    /// </summary>
    private enum Delivery
    {
        Alone,
        Batched,
        ToNode,
    }

    // Replies and pushes to clients and watchers, held until the mailbox is drained; only senders that batch
    // themselves (and watchers) are sent batches.
    private readonly Outbox _outbox = new();
    private bool _inBatch;

    // The id of the CorrelatedRequest being handled, if any: its answer is wrapped where it is created (see Reply),
    // so that a reply deferred until the journal write carries the id with it.
    private bool _correlated;
    private long _correlationId;

    /// <summary>How the sender of the message being handled is answered: batched if it sent a batch.</summary>
    private Delivery ClientDelivery => _inBatch ? Delivery.Batched : Delivery.Alone;

    private void Answer(Decision decision) =>
        Record(decision.Events, decision.Reply is { } reply ? Reply(reply) : null, Sender, delivery: ClientDelivery);

    /// <summary>
    /// A client's request with an id: handled exactly as the plain request, its one answer wrapped with the id
    /// (see <see cref="Reply"/>). Only requests that get one answer may be wrapped; anything else is unhandled.
    /// </summary>
    private void HandleCorrelated(CorrelatedRequest correlated)
    {
        if (!IsClientRequest(correlated.Request))
        {
            Unhandled(correlated);
            return;
        }
        _correlated = true;
        _correlationId = correlated.CorrelationId;
        try
        {
            Handle(correlated.Request);
        }
        finally
        {
            _correlated = false;
        }
    }

    private static bool IsClientRequest(object request) =>
        request is SubmitTask or GetTaskStatus or WatchTask or CancelTask or ListTasks or GetNodes or GetQueues or GetStatistics or GetHistory
            or GetConcurrencyLimits or SetConcurrencyLimit
            or GetUserPolicies or SetUserPolicy;

    /// <summary>The answer to the request being handled, as its sender needs it: wrapped with the id of a <see cref="CorrelatedRequest"/>, else as is.</summary>
    private object Reply(object answer) => _correlated ? new CorrelatedAnswer(_correlationId, answer) : answer;

    /// <summary>Hands <paramref name="message"/> to a node's actor at once, or holds it for <paramref name="to"/> until the mailbox is drained (see <see cref="Outbox"/>).</summary>
    private void Send(IActorRef to, object message, Delivery delivery)
    {
        // A journal write confirmed after a pause: what it allows waits until the fence opens (SchedulerActor.Fence).
        if (Fenced())
        {
            _heldSends.Add((to, message, delivery));
            return;
        }
        if (delivery == Delivery.ToNode) to.Tell(new ToWorker(message), Self);
        else if (_outbox.Add(to, message, delivery == Delivery.Batched)) Self.Tell(FlushOutbox.Instance);
    }

    /// <summary>Answers after every write already gathered or under way (at once in memory, or when nothing is pending).</summary>
    private void ReplyAfterWrites(object reply, IActorRef to, Delivery delivery)
    {
        if (!_persistence.IsDurable || _inFlight == 0 && _batch.IsEmpty) Send(to, reply, delivery);
        else if (!_batch.IsEmpty) _batch.AddAfter(() => Send(to, reply, delivery));
        else DeferAsync(reply, r => Send(to, r, delivery));
    }
}
