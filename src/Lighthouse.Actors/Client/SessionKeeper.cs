using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Client;

/// <summary>
/// Asks the scheduler with plain messages (an <c>Ask</c> per request, as the web gateway does), inside a session when the
/// caller's ActorSystem has TLS credentials (docs/authorization.md): it opens one with a proof of the certificate's key on
/// first use, wraps each request in <see cref="Authorized"/>, and when the scheduler does not know the session (it restarted
/// or moved) opens a new one and asks once more. Without credentials it is a plain <c>Ask</c>. Thread-safe.
/// </summary>
public sealed class SessionKeeper
{
    private readonly IActorRef _scheduler;
    private readonly TlsCredentials? _credentials;
    private readonly object _gate = new();
    private Task<string>? _token;

    public SessionKeeper(IActorRef scheduler, TlsCredentials? credentials)
    {
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _credentials = credentials;
    }

    /// <summary>A keeper for <paramref name="scheduler"/> (or a proxy) in the caller's own ActorSystem, with that system's credentials.</summary>
    public static SessionKeeper For(IActorRef scheduler) =>
        new(scheduler, scheduler is ActorRefWithCell local ? RemoteTls.CredentialsOf(local.Underlying.System) : null);

    /// <summary>Whether requests travel in a session.</summary>
    public bool IsSecure => _credentials is not null;

    /// <summary>
    /// Sends <paramref name="request"/> and returns the answer (a <see cref="NotAuthorized"/> when the scheduler refuses it).
    /// Throws <see cref="AskTimeoutException"/> when no answer comes within <paramref name="timeout"/>, and
    /// <see cref="LighthousePermissionDeniedException"/> when the scheduler refuses the session itself.
    /// </summary>
    public async Task<object> Ask(object request, TimeSpan timeout, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_credentials is null) return await _scheduler.Ask<object>(request, timeout, cancellation).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var session = Session(timeout, cancellation);
            var token = await session.ConfigureAwait(false);
            var answer = await _scheduler.Ask<object>(new Authorized(token, request), timeout, cancellation).ConfigureAwait(false);
            if (answer is not NotAuthorized { SessionUnknown: true } || attempt > 0) return answer;
            Forget(session);
        }
    }

    /// <summary>
    /// <paramref name="request"/> as an actor of the caller's own sends it when it must hear what follows the answer (a
    /// <see cref="WatchTask"/>'s pushes go to the sender, which an <c>Ask</c> cannot stay): inside an <see cref="Authorized"/>
    /// with the open session's token (opening one first) when requests travel in a session, unchanged otherwise. When the
    /// scheduler answers <see cref="NotAuthorized"/> with SessionUnknown, call <see cref="SessionLost"/> and seal again.
    /// </summary>
    public async Task<object> Seal(object request, TimeSpan timeout, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_credentials is null) return request;
        return new Authorized(await Session(timeout, cancellation).ConfigureAwait(false), request);
    }

    /// <summary>The scheduler no longer knows the session (it restarted or moved): the next request opens a new one.</summary>
    public void SessionLost()
    {
        lock (_gate) _token = null;
    }

    private Task<string> Session(TimeSpan timeout, CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_token is { IsFaulted: false, IsCanceled: false } open) return open;
            return _token = Open(timeout, cancellation);
        }
    }

    private void Forget(Task<string> session)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_token, session)) _token = null;
        }
    }

    private async Task<string> Open(TimeSpan timeout, CancellationToken cancellation)
    {
        var answer = await _scheduler.Ask<object>(SessionProof.Create(_credentials!), timeout, cancellation).ConfigureAwait(false);
        return answer switch
        {
            SessionOpened opened => opened.Token,
            SessionRefused refused => throw new LighthousePermissionDeniedException($"the scheduler refused this host's session: {refused.Reason}"),
            _ => throw new InvalidOperationException($"the scheduler answered OpenSession with {answer.GetType().Name}, which the protocol does not allow"),
        };
    }
}
