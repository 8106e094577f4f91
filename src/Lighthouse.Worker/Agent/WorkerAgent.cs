using System.Collections.Frozen;
using Akka.Actor;
using Akka.Event;
using Lighthouse.Messaging;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Security;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// The worker node's side of the scheduler conversation. It registers (again and again, backing off, until
/// the scheduler answers), then runs the tasks its contact (the sender of <see cref="WorkerRegistered"/>, the
/// node's NodeStateActor) starts, each on the thread pool, and sends that contact their progress and ends.
/// When the contact terminates (the scheduler moved, restarted or recovered), the tasks keep running and the
/// agent registers again, naming them in <see cref="RegisterWorker.RunningTasks"/> with those whose end the scheduler
/// has not acknowledged: the scheduler re-attaches the ones it has running here and has the agent cancel the others.
/// The scheduler acknowledges final reports (<see cref="ReportsAcknowledged"/>) once it has taken them, and the agent
/// forgets them then; reports of tasks that ended without a contact wait for the next one, and so do the reports sent
/// to a contact that never acknowledged them: a contact on a host that died takes no reports, but the agent only learns
/// so once the cluster removes that host, seconds later. Those go to the new contact after registering, which takes
/// them if the task still runs here and acknowledges them quietly if it already ended so.
/// <para>
/// Starts and cancels may come one by one or in a <see cref="MessageBatch"/>; reports and refusals leave through an
/// <see cref="Outbox"/>, so the ends the agent handles in one go reach the contact as one batch: at thousands of
/// tasks per second that is a fraction of a remote message per task instead of one or more. Registration does not
/// wait in the outbox: the scheduler (or its proxy) gets <see cref="RegisterWorker"/> directly.
/// </para>
/// <para>
/// On an ActorSystem with TLS credentials (docs/authorization.md) the agent first opens a session with the scheduler
/// (<see cref="OpenSession"/>, a proof of its certificate's key), wraps its registration and reports in
/// <see cref="Authorized"/> with the session's token, and takes starts, cancels and registration answers only inside an
/// <see cref="Authorized"/> carrying that same token: only the scheduler it opened the session with knows it. Anything
/// else of the protocol is dropped with a rate-limited warning. A scheduler that does not know the session (it moved or
/// restarted) says so, and the agent opens a new one and registers again.
/// </para>
/// The bookkeeping lives in <see cref="RunningTasks"/> and <see cref="ProgressThrottle"/>; this class routes.
/// </summary>
internal sealed class WorkerAgent : ActorBase, IWithTimers
{
    private const string RegistrationTimer = "register";

    /// <summary>
    /// How long a sent report is kept, unacknowledged, in case its contact turns out to be gone: longer than a dead host
    /// takes to be removed. Acknowledged reports go at once; this bounds what a scheduler that never acknowledges (one
    /// older than <see cref="ReportsAcknowledged"/>) leaves behind.
    /// </summary>
    private static readonly TimeSpan RecentReportWindow = TimeSpan.FromMinutes(1);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WorkerHub _hub;
    private readonly string _node;
    private readonly IActorRef _scheduler;
    private readonly TimeProvider _clock;
    private readonly long _origin;
    private readonly RegisterWorker _registration;
    private readonly RunningTasks _tasks;
    private readonly RegistrationBackoff _backoff;

    /// <summary>How long a worker tries to register before it warns that it cannot.</summary>
    internal static readonly TimeSpan UnregisteredWarning = TimeSpan.FromSeconds(10);

    private long? _registeringSince;
    private string? _lastRefusal;
    private long _nextUnregisteredWarning;
    /// <summary>Running tasks from which the agent counts as busy and lets its reports linger (see <see cref="Send"/>).</summary>
    private const int BusyTasks = 16;

    private readonly Outbox _outbox;

    // Protocol types: on a secure agent, these are taken only inside its session (see Admit); its own messages pass.
    private static readonly FrozenSet<Type> ProtocolTypes = LighthouseSerialization.OwnedTypes.ToFrozenSet();

    // Sessions, on a system with TLS credentials only: the open session's token (null while none is), and the last
    // one, which wraps what was posted in it and leaves after it was lost.
    private readonly TlsCredentials? _credentials;
    private string? _token;
    private string? _wireToken;
    private readonly LogThrottle _dropLog = new(LogThrottle.DefaultInterval);
    private readonly LogThrottle _unregisteredStartLog = new(LogThrottle.DefaultInterval);
    private readonly List<IWorkerReport> _unreported = [];
    private readonly UnacknowledgedReports _unacknowledged = new();
    private IActorRef? _contact;

    /// <summary>
    /// <see cref="Registering"/> or <see cref="Serving"/>. A field rather than <c>Context.Become</c>, so that each message of a
    /// batch meets the behaviour the messages before it left: a batch that registers and then starts a task runs the task.
    /// </summary>
    private Func<object, bool> _behaviour;

    public WorkerAgent(WorkerHub hub, string node, IActorRef scheduler, TimeProvider clock)
    {
        _hub = hub;
        _node = node;
        _scheduler = scheduler;
        _clock = clock;
        _origin = clock.GetTimestamp();
        _registration = hub.Registration(node);
        _tasks = new RunningTasks(node, hub.Slots, hub.Lanes);
        _backoff = new RegistrationBackoff(hub.RegistrationRetryMin, hub.RegistrationRetryMax);
        _behaviour = Registering;
        _credentials = RemoteTls.CredentialsOf(Context.System);
        _outbox = _credentials is null ? new Outbox() : new Outbox(message => new Authorized(_wireToken!, message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>An agent for <paramref name="hub"/> as node <paramref name="node"/>, registering with <paramref name="scheduler"/> (the scheduler or a proxy to it).</summary>
    public static Props Props(WorkerHub hub, string node, IActorRef scheduler, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new WorkerAgent(hub, node, scheduler, clock ?? TimeProvider.System));

    private TimeSpan Now => _clock.GetElapsedTime(_origin);

    protected override void PreStart() => Register();

    protected override void PostStop()
    {
        // Reports decided before the stop still leave.
        _outbox.Flush(Self);
        // Handlers must not outlive their worker: stopping the agent stops them.
        foreach (var task in _tasks.RemoveAll()) _ = task.Cancellation.CancelAsync();
    }

    protected override bool Receive(object message)
    {
        if (_credentials is not null)
        {
            if (Admit(message) is not { } admitted) return true;
            message = admitted;
        }
        if (message is not MessageBatch batch) return _behaviour(message);
        // Each inner message as if it had come alone from the batch's sender (which Sender stays throughout), in order,
        // through the behaviour current at its turn. Batches do not nest.
        foreach (var inner in batch.Messages)
        {
            if (inner is MessageBatch || !_behaviour(inner)) Unhandled(inner);
        }
        return true;
    }

    /// <summary>
    /// A secure agent's door: what its session's <see cref="Authorized"/> holds, the session answers, and its own messages;
    /// null (dropped, with a rate-limited warning) for any other protocol message, whatever its sender says.
    /// </summary>
    private object? Admit(object message)
    {
        switch (message)
        {
            case Authorized authorized when _token is not null && authorized.Token == _token:
                return authorized.Message;
            case SessionOpened or SessionRefused or NotAuthorized:
                return message;
            case Authorized:
                break;
            default:
                if (!ProtocolTypes.Contains(message.GetType())) return message;
                break;
        }
        if (_dropLog.Allow(out var leftOut))
            _log.Warning("worker node {0} dropped {1} from {2}: it takes the scheduler's messages only in its own session{3}",
                _node, (message is Authorized a ? a.Message : message).GetType().Name, Sender.Path,
                leftOut > 0 ? $" ({leftOut} more dropped since the last such line)" : "");
        return null;
    }

    private bool Registering(object message)
    {
        switch (message)
        {
            case RetryRegistration:
                Register();
                return true;
            case SessionOpened opened:
                _token = _wireToken = opened.Token;
                _log.Info("worker node {0} opened a session with the scheduler as {1}", _node, opened.Identity);
                Register();
                return true;
            case SessionRefused refused:
                WarnRefusal(refused.Reason);
                return true;
            case NotAuthorized { SessionUnknown: true }:
                _token = null;
                Register();
                return true;
            case NotAuthorized denied:
                WarnRefusal(denied.Reason);
                return true;
            case WorkerRegistered:
                Adopt(Sender);
                return true;
            case WorkerRegistrationRejected rejected:
                WarnRefusal(rejected.Reason);
                return true;
            case StartTask start:
                // Not the task's failure: a scheduler that still counts this node as registered started it while the
                // node's contact had just ended here (the node is being removed, or the scheduler moved). A failure
                // report would end the task failed (chaos run, seed 2026); left unanswered, the task is re-queued when
                // this node registers again without naming it, or when the cluster removes the node.
                if (_unregisteredStartLog.Allow(out var more))
                    _log.Warning("worker node {0} is not registered with a scheduler: it ignored the start of task {1} ({2}) from {3}; " +
                                 "the scheduler re-queues it when this node registers again or is removed{4}",
                        _node, start.TaskId, start.TaskName, Sender.Path, more > 0 ? $" ({more} more ignored since the last such line)" : "");
                return true;
            default:
                return TaskMessage(message);
        }
    }

    private bool Serving(object message)
    {
        switch (message)
        {
            case WorkerRegistered:
                if (Sender.Equals(_contact)) return true; // a repeated answer to an earlier attempt
                LoseContact("the scheduler answered from a new contact");
                Adopt(Sender);
                return true;
            case WorkerRegistrationRejected rejected:
                _log.Warning("ignoring a late refusal of worker node {0} ({1}): it is registered", rejected.Node, rejected.Reason);
                return true;
            case StartTask start:
                Start(start);
                return true;
            case Terminated terminated when terminated.ActorRef.Equals(_contact):
                LoseContact("its scheduler contact terminated");
                _behaviour = Registering;
                Register();
                return true;
            default:
                return TaskMessage(message);
        }
    }

    private bool TaskMessage(object message)
    {
        switch (message)
        {
            case CancelRunningTask cancel:
                Cancel(cancel);
                return true;
            case TaskEnded ended:
                Ended(ended);
                return true;
            case HandlerProgressed progressed:
                Progressed(progressed);
                return true;
            case FlushProgress flush:
                FlushWaitingProgress(flush);
                return true;
            case CancelGraceOver over:
                GraceOver(over);
                return true;
            case FlushOutbox:
                _outbox.Flush(Self);
                return true;
            case ReportsAcknowledged acknowledged:
                _unacknowledged.Remove(acknowledged.TaskIds);
                return true;
            case ReportRejected rejected:
                // A refused final report is as settled as a taken one: sending it again would be refused again.
                _unacknowledged.Remove([rejected.TaskId]);
                _log.Warning("the scheduler refused a report about task {0}: {1}", rejected.TaskId, rejected.Reason);
                return true;
            case NotAuthorized denied:
                _log.Warning("the scheduler refused a message of worker node {0}: {1}", _node, denied.Reason);
                return true;
            case SessionOpened or SessionRefused:
                return true; // an answer to an earlier attempt
            case Terminated:
                return true; // a contact given up earlier
            default:
                return false;
        }
    }

    /// <summary>
    /// Holds <paramref name="message"/> for <paramref name="to"/>: it leaves with everything else decided before the
    /// agent's <see cref="FlushOutbox"/> comes round, i.e. once the messages already in its mailbox are handled; with
    /// at least <see cref="BusyTasks"/> tasks running, after <see cref="Outbox.Linger"/>, since their ends trickle in
    /// one by one and would otherwise each cost the scheduler a message of their own.
    /// </summary>
    private void Send(IActorRef to, object message) =>
        _outbox.Post(Self, Timers, to, message, busy: _tasks.Count >= BusyTasks);

    /// <summary>Said once per reason: the agent keeps retrying (backing off up to its maximum) in case it clears.</summary>
    private void WarnRefusal(string reason)
    {
        if (reason != _lastRefusal) _log.Warning("the scheduler refused worker node {0}: {1}; registering again later", _node, reason);
        _lastRefusal = reason;
    }

    private void Register()
    {
        WarnIfStillUnregistered();
        Timers.StartSingleTimer(RegistrationTimer, RetryRegistration.Instance, _backoff.Next());
        if (_credentials is not null && _token is null)
        {
            // A session first; its answer registers at once, the timer tries again if none comes.
            _scheduler.Tell(SessionProof.Create(_credentials));
            return;
        }
        // Tasks still running, then those whose end no scheduler acknowledged: the scheduler counts both as running here
        // until it takes their end, and a task it still has running here must not be re-queued for want of being named.
        var running = _tasks.Ids.Concat(_unreported.Select(r => r.TaskId)).ToList();
        object registration = running.Count == 0 ? _registration : _registration with { RunningTasks = running };
        _scheduler.Tell(_token is null ? registration : new Authorized(_token, registration));
    }

    /// <summary>
    /// A worker that cannot register says so, with the reason membership shows, after <see cref="UnregisteredWarning"/>
    /// and then every minute, instead of waiting in silence (a system with no seed nodes never joins anything).
    /// </summary>
    private void WarnIfStillUnregistered()
    {
        var now = Environment.TickCount64;
        if (_registeringSince is not { } since)
        {
            _registeringSince = now;
            _nextUnregisteredWarning = now + (long)UnregisteredWarning.TotalMilliseconds;
            return;
        }
        if (now < _nextUnregisteredWarning) return;
        _nextUnregisteredWarning = now + 60_000;
        var why = SchedulerReachability.WhyUnreachable(Context.System) ?? "no scheduler has answered its registration";
        _log.Warning("worker node {0} is not registered with a scheduler after {1:0} s: {2}", _node, (now - since) / 1000.0, why);
    }

    private void Adopt(IActorRef contact)
    {
        _registeringSince = null;
        _lastRefusal = null;
        _contact = contact;
        Context.Watch(contact);
        Timers.Cancel(RegistrationTimer);
        _backoff.Reset();
        _behaviour = Serving;
        _log.Info("worker node {0} registered with the scheduler ({1}): {2} slots, handles {3}",
            _node, contact.Path, _hub.Slots, string.Join(", ", _hub.TaskNames));
        var held = _unreported.ToList();
        _unreported.Clear();
        foreach (var report in held) Deliver(report);
    }

    private void LoseContact(string why)
    {
        // Reports the lost contact did not acknowledge: sent again to the next one (which acknowledges quietly those
        // it already had). That includes reports still in the outbox for the lost contact: they
        // were remembered when they went in, and still leave for it.
        // A set, not a scan per report: at full speed a minute of reports is a million of them.
        var held = _unreported.Select(report => report.TaskId).ToHashSet(StringComparer.Ordinal);
        foreach (var report in _unacknowledged.TakeAll())
        {
            if (held.Add(report.TaskId)) _unreported.Add(report);
        }
        _log.Warning("worker node {0}: {1}; registering again with its {2} running tasks, for the scheduler to re-attach or cancel",
            _node, why, _tasks.Count + _unreported.Count);
        if (_contact is not null) Context.Unwatch(_contact);
        _contact = null;
    }

    private void Start(StartTask start)
    {
        var contact = _contact!;
        if (_hub.Find(start.TaskName) is not { } handler)
        {
            Send(contact, new ReportFailure(start.TaskId,
                $"worker node \"{_node}\" has no handler for task name \"{start.TaskName}\"; it handles: {string.Join(", ", _hub.TaskNames)}"));
            return;
        }
        if (_tasks.Find(start.TaskId) is not null)
        {
            _log.Warning("task {0} already runs on worker node {1}; ignoring a second start of it", start.TaskId, _node);
            return;
        }
        if (_tasks.Refusal(start) is { } refusal)
        {
            Send(contact, new ReportFailure(start.TaskId, refusal));
            return;
        }

        var task = _tasks.Add(start, _hub.ProgressInterval);
        var self = Self;
        var (taskId, run) = (task.TaskId, task.Run);
        // From a handler on a lowered thread, the Tell goes through the relay (see NicedTaskScheduler).
        var progress = _hub.TaskThreads is { } threads && handler.Process is null
            ? new ProgressReporter(percent => threads.Post(() => self.Tell(new HandlerProgressed(taskId, run, percent))))
            : new ProgressReporter(percent => self.Tell(new HandlerProgressed(taskId, run, percent)));
        var laneNice = task.Lane >= 0 ? _hub.Lanes![task.Lane].Nice : null;
        TaskExecution.RunAsync(start, handler, progress, task.Cancellation, laneNice, _hub.TaskThreads).PipeTo(self,
            success: outcome => new TaskEnded(taskId, run, outcome),
            failure: e => new TaskEnded(taskId, run, new TaskOutcome.Failed(TaskErrors.Describe(e))));
    }

    private void Cancel(CancelRunningTask cancel)
    {
        if (_tasks.Find(cancel.TaskId) is not { } task)
        {
            // Its end is on its way (not acknowledged yet): that report answers the cancel, and a second answer would be refused.
            if (_unacknowledged.Contains(cancel.TaskId) || _unreported.Exists(r => r.TaskId == cancel.TaskId)) return;
            // Nothing of that id runs here (it just ended, or never started): it is as stopped as it gets.
            Send(Sender, new AcknowledgeCancel(cancel.TaskId));
            return;
        }
        if (task.CancelRequested) return;
        task.CancelRequested = true;
        // CancelAsync: the token's callbacks (and code they resume) must not run on the agent's thread.
        _ = task.Cancellation.CancelAsync();
        task.GraceScheduled = true;
        Timers.StartSingleTimer(GraceTimer(task.TaskId), new CancelGraceOver(task.TaskId, task.Run), _hub.CancelGrace);
    }

    private void Ended(TaskEnded ended)
    {
        if (_tasks.Find(ended.TaskId, ended.Run) is not { } task) return; // abandoned earlier
        _tasks.Remove(task);
        CancelTimers(task);
        IWorkerReport report = (task.CancelRequested, ended.Outcome) switch
        {
            (true, _) => new AcknowledgeCancel(task.TaskId),
            (_, TaskOutcome.Succeeded success) => new ReportSuccess(task.TaskId, success.Result),
            (_, TaskOutcome.Failed failure) => new ReportFailure(task.TaskId, failure.Error),
            _ => new ReportFailure(task.TaskId, $"task {task.TaskId} ({task.Start.TaskName}) stopped on its cancellation token, though no cancel was asked"),
        };
        Deliver(report);
    }

    /// <summary>Sends a task's final report to the contact (remembering it for a while), or keeps it for the next one.</summary>
    private void Deliver(IWorkerReport report)
    {
        if (_contact is null)
        {
            _unreported.Add(report);
            return;
        }
        // Remembered as it goes into the outbox: should the contact change before the flush, the report still
        // leaves for the old contact, and the new one gets it again from here.
        var now = Now;
        Send(_contact, report);
        _unacknowledged.Add(report, now);
        _unacknowledged.ExpireBefore(now - RecentReportWindow);
    }

    private void Progressed(HandlerProgressed progressed)
    {
        if (_tasks.Find(progressed.TaskId, progressed.Run) is not { } task) return;
        var step = task.Progress.Offer(progressed.Percent, Now);
        if (step.Send is { } percent && _contact is { } contact) Send(contact, new ReportProgress(task.TaskId, percent));
        if (step.FlushIn is { } delay)
        {
            task.FlushScheduled = true;
            Timers.StartSingleTimer(FlushTimer(task.TaskId), new FlushProgress(task.TaskId, task.Run), delay);
        }
    }

    private void FlushWaitingProgress(FlushProgress flush)
    {
        if (_tasks.Find(flush.TaskId, flush.Run) is not { } task) return;
        task.FlushScheduled = false;
        if (task.Progress.Flush(Now) is { } percent && _contact is { } contact) Send(contact, new ReportProgress(task.TaskId, percent));
    }

    private void GraceOver(CancelGraceOver over)
    {
        if (_tasks.Find(over.TaskId, over.Run) is not { } task) return;
        task.GraceScheduled = false;
        _tasks.Remove(task);
        CancelTimers(task);
        _log.Warning("task {0} ({1}) ignored its cancellation for {2}; acknowledged the cancel and freed its slot, but its handler may still run",
            task.TaskId, task.Start.TaskName, _hub.CancelGrace);
        Deliver(new AcknowledgeCancel(task.TaskId));
    }

    /// <summary>Stops the task's timers; only those it started, since looking a timer up costs a boxed key and most tasks have none.</summary>
    private void CancelTimers(RunningTask task)
    {
        if (task.FlushScheduled) Timers.Cancel(FlushTimer(task.TaskId));
        if (task.GraceScheduled) Timers.Cancel(GraceTimer(task.TaskId));
    }

    private static (string, string) FlushTimer(string taskId) => ("flush-progress", taskId);

    private static (string, string) GraceTimer(string taskId) => ("cancel-grace", taskId);
}
