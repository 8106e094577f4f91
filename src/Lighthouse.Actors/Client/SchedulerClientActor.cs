using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Lighthouse.Hosting;
using Lighthouse.Messaging;
using Lighthouse.Protocol;

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

    private SchedulerClientActor(SchedulerRoute route, LighthouseClientOptions options)
    {
        _route = route;
        _outbox = new Outbox(route.Envelope);
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
    private void Post(object message) =>
        _outbox.Post(Self, Timers, _target, message, busy: _pending.Count + _watches.Count >= BusyCalls);

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
        if (_pending.Answer(answer, now) is not { } request)
        {
            // A resent request's second answer, or a late one. A status is still news for whoever waits for the task.
            if (message is TaskInfo late) _watches.Heard(late, now, answersAsk: false);
            else if (_log.IsDebugEnabled)
                _log.Debug("dropped the answer {0} to request {1}: no request waits for it (a resent request's second answer, or a late one)",
                    message.GetType().Name, answer.CorrelationId);
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
