using Akka.Actor;
using Akka.Event;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Security;

namespace Lighthouse.Scheduling;

// Sessions and authorization, in a scheduler whose ActorSystem has TLS credentials (a secure one; see
// docs/authorization.md). Every message that could have come from the network (any type with a wire codec: a peer
// can write any sender path, even a local-looking one) must arrive inside Authorized with a live session's token,
// and is checked against the Authorization table for that session's identity. Messages of internal types (timers,
// children, the journal) pass as before. Without credentials none of this runs: the plaintext path is unchanged.
public sealed partial class SchedulerActor
{
    // Null in a plaintext scheduler.
    private Sessions? _sessions;

    // The session the message being handled came in (null outside an Authorized): the registration's token goes to the node's link.
    private Session? _caller;

    private readonly LogThrottle _refusalLog = new(LogThrottle.DefaultInterval);

    private void StartSessions()
    {
        if (RemoteTls.CredentialsOf(Context.System) is { } credentials) _sessions = new Sessions(credentials, _clock);
    }

    /// <summary>A secure scheduler's door: sessions, authorized messages, and nothing else that has a wire encoding.</summary>
    private void HandleSecure(Sessions sessions, object message)
    {
        switch (message)
        {
            case OpenSession open:
                Open(sessions, open);
                return;
            case Authorized authorized:
                HandleAuthorized(sessions, authorized);
                return;
        }
        // Internal types cannot come from the network. The cluster-health child's view reads are the one plain request
        // taken: were its path forged, the answer would still go to that child, not to the forger.
        if (ProtocolCodecs.ForType(message.GetType()) is null || (message is GetNodes or GetQueues && _health is not null && Sender.Equals(_health)))
        {
            Handle(message);
            return;
        }
        var items = message is MessageBatch batch ? batch.Messages : [message];
        foreach (var item in items)
            Refuse(item, $"permission denied: this scheduler runs with TLS and takes {item.GetType().Name} only in a session (OpenSession, then Authorized)",
                sessionUnknown: false, who: null);
    }

    private void Open(Sessions sessions, OpenSession open)
    {
        if (sessions.Open(open, out var problem) is { } session)
        {
            Sender.Tell(new SessionOpened(session.Token, session.Identity.ToString()));
            return;
        }
        Sender.Tell(new SessionRefused(problem!));
        if (_refusalLog.Allow(out var leftOut))
            _log.Warning("refused a session from {0}: {1}{2}", Sender.Path.Address, problem, LeftOut(leftOut));
    }

    private void HandleAuthorized(Sessions sessions, Authorized authorized)
    {
        var batch = authorized.Message as MessageBatch;
        if (sessions.Find(authorized.Token) is not { } session)
        {
            const string why = "the session is unknown to this scheduler (it expired, or the scheduler restarted or moved): open a new one";
            foreach (var item in batch?.Messages ?? [authorized.Message]) Refuse(item, why, sessionUnknown: true, who: null);
            return;
        }
        _caller = session;
        try
        {
            if (batch is null)
            {
                HandleAs(session, authorized.Message);
                return;
            }
            // As for a plain batch: each message as if it had come alone, the answers batched.
            _inBatch = true;
            try
            {
                foreach (var inner in batch.Messages) HandleAs(session, inner);
            }
            finally
            {
                _inBatch = false;
            }
        }
        finally
        {
            _caller = null;
        }
    }

    private void HandleAs(Session session, object message)
    {
        // Only protocol messages: an Authorized built in-process could hold anything, and nothing internal may be asked for this way.
        if (message is MessageBatch or Authorized || ProtocolCodecs.ForType(message.GetType()) is null)
        {
            Unhandled(message);
            return;
        }
        var request = message is CorrelatedRequest correlated ? correlated.Request : message;
        if (Authorization.Refusal(session.Identity, request, OwnerOf) is { } refusal)
        {
            Refuse(message, refusal, sessionUnknown: false, session.Identity);
            return;
        }
        Handle(message);
    }

    private string? OwnerOf(string taskId) => _state.Tasks.Find(taskId)?.UserId;

    /// <summary>Answers a refused message with <see cref="NotAuthorized"/> (correlated like any answer), after the writes before it, and logs it rate-limited.</summary>
    private void Refuse(object message, string reason, bool sessionUnknown, CertificateIdentity? who)
    {
        var answer = new NotAuthorized(reason, sessionUnknown);
        ReplyAfterWrites(message is CorrelatedRequest correlated ? new CorrelatedAnswer(correlated.CorrelationId, answer) : answer, Sender, ClientDelivery);
        if (!sessionUnknown && _refusalLog.Allow(out var leftOut))
            _log.Warning("refused {0} from {1} at {2}: {3}{4}", (message is CorrelatedRequest c ? c.Request : message).GetType().Name,
                who?.ToString() ?? "a sender without a session", Sender.Path.Address, reason, LeftOut(leftOut));
    }

    private static string LeftOut(int count) => count > 0 ? $" ({count} more refused since the last such line)" : "";

    /// <summary>What the scheduler itself tells a worker agent (a refused registration): wrapped with that agent's session token when secure.</summary>
    private object ToAgent(object message) => _caller is { } session ? new Authorized(session.Token, message) : message;
}
