using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Event;

namespace Lighthouse.Client;

/// <summary>
/// The remote end of a <see cref="LighthouseClient"/>: one actor sends every request to the scheduler and matches
/// the answers (see <see cref="PendingRequests"/>). One sender for all requests, instead of an Ask's temporary actor
/// per call, keeps pipelining cheap and gives the host's receptionist a single response tunnel for this client.
/// </summary>
public sealed class SchedulerClientActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SchedulerRoute _route;
    private readonly LighthouseClientOptions _options;
    private readonly PendingRequests _pending;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IActorRef _target = ActorRefs.Nobody;
    private string? _targetGone;

    private SchedulerClientActor(SchedulerRoute route, LighthouseClientOptions options)
    {
        _route = route;
        _options = options;
        _pending = new PendingRequests(options.RequestTimeout, options.RetryInterval);

        Receive<ClientRequest>(Send);
        Receive<ClientTick>(_ => Check());
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_target), _ => TargetStopped());
        ReceiveAny(Answered);
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
        var tick = TimeSpan.FromTicks(Math.Clamp(
            Math.Min(_options.RequestTimeout.Ticks, _options.RetryInterval.Ticks) / 4,
            TimeSpan.FromMilliseconds(10).Ticks,
            TimeSpan.FromMilliseconds(250).Ticks));
        Timers.StartPeriodicTimer(nameof(ClientTick), ClientTick.Instance, tick);
    }

    protected override void PostStop()
    {
        foreach (var request in _pending.TakeAll())
            request.Completion.TrySetException(new ObjectDisposedException(nameof(LighthouseClient), "the Lighthouse client was disposed before the scheduler answered"));
    }

    private void Send(ClientRequest request)
    {
        if (_targetGone is { } why)
        {
            request.Completion.TrySetException(new LighthouseUnavailableException(_route.Address, why));
            return;
        }
        try
        {
            _pending.Add(request.Message, request.Completion, Now);
        }
        catch (ArgumentException wrong)
        {
            request.Completion.TrySetException(wrong);
            return;
        }
        _target.Tell(_route.Envelope(request.Message), Self);
    }

    private void Answered(object message)
    {
        if (_pending.Answer(message, Now) is { } request)
            request.Completion.TrySetResult(message);
        else if (_log.IsDebugEnabled)
            _log.Debug("dropped {0}: no request waits for it (a resent request's second answer, or a late one)", message.GetType().Name);
    }

    private void Check()
    {
        var now = Now;
        foreach (var expired in _pending.TakeExpired(now))
            expired.Completion.TrySetException(Unavailable(expired));
        foreach (var resend in _pending.TakeDueForResend(now))
            _target.Tell(_route.Envelope(resend.Message), Self);
    }

    private void TargetStopped()
    {
        _targetGone = $"{_route.Description} has stopped";
        _log.Warning("{0}; failing every pending and later request", _targetGone);
        foreach (var request in _pending.TakeAll())
            request.Completion.TrySetException(new LighthouseUnavailableException(_route.Address, _targetGone));
    }

    private LighthouseUnavailableException Unavailable(PendingRequest request)
    {
        var seconds = _options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var why = _pending.EverAnswered
            ? "it answered earlier, so it stopped answering or the connection was lost"
            : "it never answered this client: is the host running, and is the address right?";
        var sends = request.Sends == 1 ? "" : $" (sent {request.Sends} times)";
        return new LighthouseUnavailableException(_route.Address,
            $"no answer from {_route.Description} to {request.Message.GetType().Name}{sends} within {seconds}s: {why}");
    }
}
