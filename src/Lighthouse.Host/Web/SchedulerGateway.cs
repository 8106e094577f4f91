using Akka.Actor;
using Lighthouse.Client;

namespace Lighthouse.Host.Web;

/// <summary>
/// The web side's only way to the scheduler: one ask per request with a timeout, so a missing or stopped
/// scheduler becomes a 503 with a message instead of a hung request (at once when this host is not a cluster member, see
/// <see cref="HostReadiness"/>). On a host with TLS credentials the asks travel in a
/// session of the host's identity (<see cref="SessionKeeper"/>, docs/authorization.md), which acts for every user.
/// </summary>
public sealed class SchedulerGateway(IActorRef scheduler, TimeSpan timeout, Func<string?>? unready = null)
{
    private readonly SessionKeeper _session = SessionKeeper.For(scheduler);

    /// <summary>The session the asks travel in; an actor that must hear pushes (the HTTP waits' watcher) seals its requests with it.</summary>
    public SessionKeeper Session => _session;

    /// <summary>Sends <paramref name="request"/> and returns the answer; throws a 503 <see cref="ApiException"/> when none comes in time.</summary>
    public Task<object> Ask(object request, CancellationToken cancellation) => Ask(request, timeout, cancellation);

    public async Task<object> Ask(object request, TimeSpan within, CancellationToken cancellation)
    {
        // A host outside the cluster cannot reach the scheduler: say so now rather than after the whole timeout.
        if (unready?.Invoke() is { } reason) throw ApiException.Unavailable(reason);
        try
        {
            return await _session.Ask(request, within, cancellation).ConfigureAwait(false);
        }
        catch (AskTimeoutException silence)
        {
            throw ApiException.Unavailable(
                $"the scheduler did not answer {request.GetType().Name} within {within.TotalSeconds:0.###} s; it may be starting, moving to another node, or down",
                silence);
        }
    }

    /// <summary>Asks and expects an answer of type <typeparamref name="T"/> (the monitor queries have exactly one).</summary>
    public async Task<T> Ask<T>(object request, CancellationToken cancellation) where T : class
    {
        var answer = await Ask(request, cancellation).ConfigureAwait(false);
        return answer as T ?? throw Unexpected(request.GetType().Name, answer);
    }

    /// <summary>An answer the protocol does not allow for <paramref name="request"/>: a bug, reported as such.</summary>
    public static InvalidOperationException Unexpected(string request, object answer) =>
        new($"the scheduler answered {request} with {answer.GetType().Name}, which the protocol does not allow");
}
