using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Lighthouse.Hosting;
using Lighthouse.Messaging;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Client;

/// <summary>
/// The remote end of a <see cref="LighthouseClient"/>: one actor sends every request to the scheduler and matches
/// the answers (see <see cref="PendingRequests"/>). One sender for all requests, instead of an Ask's temporary actor
/// per call, keeps pipelining cheap and gives the host's receptionist a single response tunnel for this client.
/// Each request travels as a <see cref="CorrelatedRequest"/>, and its answer comes back as a <see cref="CorrelatedAnswer"/>
/// of the same id: what the answer says never decides whose it is.
/// <para>
/// Requests leave through an <see cref="Outbox"/>: everything decided while the mailbox drains goes to the
/// scheduler as one <see cref="MessageBatch"/>, and the scheduler answers a batch with batches, so a busy client
/// costs one remote message per drain, not one per request. Waits learn a task's end from the scheduler's
/// <see cref="TaskUpdated"/> push instead of polling for it (see <see cref="TaskWatches"/>).
/// </para>
/// <para>
/// On an ActorSystem with TLS credentials (docs/authorization.md), the client first opens a session with a proof of its
/// certificate's key (<see cref="OpenSession"/>), holds requests until it is open (they stay pending, with their deadlines),
/// and wraps each batch in <see cref="Authorized"/>. A <see cref="NotAuthorized"/> that says the session is unknown (the
/// scheduler restarted or moved) opens a new one and sends every pending request again; one that denies permission fails
/// its caller with <see cref="LighthousePermissionDeniedException"/>.
/// </para>
/// </summary>
public sealed class SchedulerClientActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SchedulerRoute _route;
    private readonly LighthouseClientOptions _options;
    private readonly PendingRequests _pending;
    private readonly TaskWatches _watches;
    /// <summary>Calls in flight from which the client counts as busy and lets its batches linger (see <see cref="Post"/>).</summary>
    private const int BusyCalls = 64;

    private readonly Outbox _outbox;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IActorRef _target = ActorRefs.Nobody;
    private string? _targetGone;

    // Sessions, on a system with TLS credentials only. _token is the open session's (null while none is);
    // _wireToken the last one, for what was posted in it and leaves after it was lost (the scheduler answers "unknown").
    private readonly TlsCredentials? _credentials;
    private string? _token;
    private string? _wireToken;
    private TimeSpan? _openingSince;

    private SchedulerClientActor(SchedulerRoute route, LighthouseClientOptions options)
    {
        _route = route;
        _credentials = RemoteTls.CredentialsOf(Context.System);
        _outbox = _credentials is null ? new Outbox(route.Envelope) : new Outbox(message => route.Envelope(new Authorized(_wireToken!, message)));
        _options = options;
        _pending = new PendingRequests(options.RequestTimeout, options.RetryInterval);
        _watches = new TaskWatches(options.WatchRefreshInterval);

        Receive<ClientRequest>(Send);
        Receive<ClientRun>(Run);
        Receive<ClientWait>(Wait);
        Receive<FlushOutbox>(_ => _outbox.Flush(Self));
        Receive<MessageBatch>(Received);
        Receive<ClientTick>(_ => Check());
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_target), _ => TargetStopped());
        ReceiveAny(Heard);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A client of <paramref name="schedulerOrProxy"/> in the caller's own ActorSystem or cluster.</summary>
    public static Props PropsFor(IActorRef schedulerOrProxy, LighthouseClientOptions? options = null) =>
        Create(new SchedulerRoute.Direct(schedulerOrProxy), options);

    /// <summary>A client of the Lighthouse host whose receptionists are at <paramref name="contacts"/>, from outside its cluster (ClusterClient).</summary>
    public static Props PropsForHost(IEnumerable<ActorPath> contacts, LighthouseClientOptions? options = null)
    {
        var list = contacts.ToArray();
        if (list.Length == 0) throw new ArgumentException("a Lighthouse client needs at least one host contact", nameof(contacts));
        return Create(new SchedulerRoute.Receptionist(list), options);
    }

    /// <summary>A client inside the scheduler's cluster, through a singleton proxy of its own.</summary>
    public static Props PropsInCluster(LighthouseClientOptions? options = null) => Create(new SchedulerRoute.Singleton(), options);

    private static Props Create(SchedulerRoute route, LighthouseClientOptions? options)
    {
        var validated = (options ?? LighthouseClientOptions.Default).Validated();
        return Props.CreateBy(new Producer(route, validated));
    }

    // The constructor takes an internal route type, so it cannot be public, and Props.Create needs a public one.
    private sealed class Producer(SchedulerRoute route, LighthouseClientOptions options) : IIndirectActorProducer
    {
        public Type ActorType => typeof(SchedulerClientActor);

        public ActorBase Produce() => new SchedulerClientActor(route, options);

        public void Release(ActorBase actor) { }
    }

    private TimeSpan Now => _clock.Elapsed;

    protected override void PreStart()
    {
        UndeliveredRequests.EnsureListening(Context.System);
        _target = _route.Start(Context);
        Context.Watch(_target);
        // Often enough that a deadline is missed by little; rarely enough to cost nothing when idle.
        var shortest = Math.Min(Math.Min(_options.RequestTimeout.Ticks, _options.RetryInterval.Ticks), _options.WatchRefreshInterval.Ticks);
        var tick = TimeSpan.FromTicks(Math.Clamp(shortest / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        Timers.StartPeriodicTimer(nameof(ClientTick), ClientTick.Instance, tick);
    }

    protected override void PostStop()
    {
        static Exception Disposed() => new ObjectDisposedException(nameof(LighthouseClient), "the Lighthouse client was disposed before the scheduler answered");
        foreach (var request in _pending.TakeAll())
            request.Completion?.TrySetException(Disposed());
        _watches.FailAll(Disposed);
    }

    private void Send(ClientRequest request)
    {
        if (Refused(request)) return;
        Post(_pending.Add(request.Message, request.Completion, Now).Wire);
    }

    /// <summary>A submission whose acceptance starts a wait for the task's end (see <see cref="Answered"/>).</summary>
    private void Run(ClientRun run)
    {
        if (Refused(run)) return;
        Post(_pending.Add(run.Submission, run.Completion, Now, untilFinished: true, run.Progress).Wire);
    }

    private void Wait(ClientWait wait)
    {
        if (Refused(wait)) return;
        var now = Now;
        if (_watches.Wait(wait.TaskId, new TaskWaiter(wait.Completion, wait.Progress), now) is { } ask) Ask(ask, now);
    }

    /// <summary>Asks about a waited-for task; its answer goes to the watch (see <see cref="Answered"/>), not to a caller.</summary>
    private void Ask(WatchTask ask, TimeSpan now) => Post(_pending.Add(ask, completion: null, now).Wire);

    private bool Refused(ClientCall call)
    {
        if (_targetGone is not { } why) return false;
        call.Completion.TrySetException(new LighthouseUnavailableException(_route.Address, why));
        return true;
    }

    /// <summary>
    /// Sends through the outbox. Busy (at least <see cref="BusyCalls"/> calls in flight, as with a pipelined caller that
    /// submits one task per finished one), the batch lingers so that it carries many requests, and the scheduler's
    /// answers, starts and the workers' reports downstream come batched in kind; a caller with few calls in flight is
    /// sent at once.
    /// </summary>
    private void Post(object message)
    {
        if (_credentials is not null && _token is null)
        {
            OpenSession(); // the request stays pending; it is sent when the session is open
            return;
        }
        _outbox.Post(Self, Timers, _target, message, busy: _pending.Count + _watches.Count >= BusyCalls);
    }

    /// <summary>Asks for a session with a fresh proof, unless one was asked for less than a retry interval ago.</summary>
    private void OpenSession()
    {
        var now = Now;
        if (_openingSince is { } since && now - since < _options.RetryInterval) return;
        _openingSince = now;
        _target.Tell(_route.Envelope(SessionProof.Create(_credentials!)), Self);
    }

    private void SessionOpened(SessionOpened opened)
    {
        if (_credentials is null || _openingSince is null) return; // not asked for
        _openingSince = null;
        _token = _wireToken = opened.Token;
        _log.Debug("session opened with the scheduler as {0}", opened.Identity);
        foreach (var request in _pending.InSendOrder) Post(request.Wire);
    }

    private void SessionRefused(SessionRefused refused)
    {
        if (_credentials is null || _openingSince is null) return;
        _openingSince = null;
        _log.Warning("the scheduler refused this client's session: {0}", refused.Reason);
        Exception Refused() => new LighthousePermissionDeniedException($"the scheduler refused this client's session: {refused.Reason}");
        foreach (var request in _pending.TakeAll()) request.Completion?.TrySetException(Refused());
        _watches.FailAll(Refused);
    }

    private void Received(MessageBatch batch)
    {
        foreach (var message in batch.Messages) Heard(message);
    }

    private void Heard(object message)
    {
        switch (message)
        {
            case CorrelatedAnswer answer:
                Answered(answer);
                return;
            case SessionOpened opened:
                SessionOpened(opened);
                return;
            case SessionRefused refused:
                SessionRefused(refused);
                return;
            case TaskUpdated updated:
                var now = Now;
                _pending.Heard(now);
                _watches.Heard(updated.Task, now, answersAsk: false);
                return;
            default:
                // Every answer this client asked for comes wrapped; anything else is not for it.
                if (_log.IsDebugEnabled)
                    _log.Debug("dropped {0} from {1}: a Lighthouse client expects only answers with a correlation id and task pushes", message.GetType().Name, Sender);
                return;
        }
    }

    private void Answered(CorrelatedAnswer answer)
    {
        var now = Now;
        var message = answer.Answer;
        if (message is NotAuthorized { SessionUnknown: true } && _credentials is not null)
        {
            // The request stays pending and is sent again in the new session, with everything else pending.
            _pending.Heard(now);
            if (_token is not null)
            {
                _log.Info("the scheduler does not know this client's session (it restarted or moved); opening a new one");
                _token = null;
                OpenSession();
            }
            return;
        }
        if (_pending.Answer(answer, now) is not { } request)
        {
            // A resent request's second answer, or a late one. A status is still news for whoever waits for the task.
            if (message is TaskInfo late) _watches.Heard(late, now, answersAsk: false);
            else if (_log.IsDebugEnabled)
                _log.Debug("dropped the answer {0} to request {1}: no request waits for it (a resent request's second answer, or a late one)",
                    message.GetType().Name, answer.CorrelationId);
            return;
        }
        if (message is NotAuthorized denied)
        {
            Exception Denied() => new LighthousePermissionDeniedException(denied.Reason);
            if (request.Message is WatchTask denial) _watches.Fail(denial.TaskId, Denied);
            else request.Completion?.TrySetException(Denied());
            return;
        }
        if (request.Message is WatchTask)
        {
            if (message is TaskInfo info) _watches.Heard(info, now, answersAsk: true);
            else if (message is UnknownTask unknown) _watches.Unknown(unknown);
            return;
        }
        // A run's task was accepted: the wait for its end starts now, before the push that may follow at once.
        if (request.UntilFinished && message is SubmissionAccepted accepted)
        {
            if (request.IsAbandoned) return;
            if (_watches.Follow(accepted.TaskId, new TaskWaiter(request.Completion!, request.Progress), now) is { } ask) Ask(ask, now);
            return;
        }
        request.Completion?.TrySetResult(message);
    }

    private void Check()
    {
        var now = Now;
        foreach (var expired in _pending.TakeExpired(now))
        {
            if (expired.Message is WatchTask watch) _watches.Fail(watch.TaskId, () => Unavailable(expired));
            else expired.Completion?.TrySetException(Unavailable(expired));
        }
        foreach (var resend in _pending.TakeDueForResend(now))
            Post(resend.Wire);
        if (_credentials is not null && _token is null && _pending.Count > 0) OpenSession();
        foreach (var ask in _watches.DueForRefresh(now))
            Ask(ask, now);
    }

    private void TargetStopped()
    {
        _targetGone = $"{_route.Description} has stopped";
        _log.Warning("{0}; failing every pending and later request", _targetGone);
        var (address, why) = (_route.Address, _targetGone);
        Exception Gone() => new LighthouseUnavailableException(address, why);
        foreach (var request in _pending.TakeAll())
            request.Completion?.TrySetException(Gone());
        _watches.FailAll(Gone);
    }

    private LighthouseUnavailableException Unavailable(PendingRequest request)
    {
        var seconds = _options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var why = _pending.EverAnswered
            ? "it answered earlier, so it stopped answering or the connection was lost"
            : _route is SchedulerRoute.Singleton && SchedulerReachability.WhyUnreachable(Context.System) is { } membership
                ? "it never answered this client: " + membership
                : "it never answered this client: is the host running, and is the address right?";
        var sends = request.Sends == 1 ? "" : $" (sent {request.Sends} times)";
        return new LighthouseUnavailableException(_route.Address,
            $"no answer from {_route.Description} to {request.Message.GetType().Name}{sends} within {seconds}s: {why}");
    }
}
