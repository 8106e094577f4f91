using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lighthouse.Hosting;
using Lighthouse.Persistence;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The one owner of scheduling state (it runs as a cluster singleton). It routes every message to a
/// decision of <see cref="SchedulerState"/>, applies the events that come back, and carries out their
/// side effects: starts and cancels through the node's <see cref="NodeStateActor"/>, releases and node
/// changes to the <see cref="StrategyActor"/>. After each message it dispatches what can start.
/// <para>
/// At most one placement is asked at a time: the next task is chosen only once the previous answer is
/// applied, so every choice sees the running counts and capacity the previous one left, and dispatch is
/// the same for the same sequence of messages.
/// </para>
/// <para>
/// Durability (<see cref="DurabilitySettings"/>): events are applied at once, so the next message sees
/// them, and written to the journal asynchronously, the events of all messages waiting in the mailbox
/// together (<see cref="JournalBatch"/>). What leaves the process waits until its
/// events are durable: a client's answer (a submission is acknowledged only once its task is in the
/// journal), and a worker's start or cancel (so a worker never runs a task the journal does not have as
/// started). A reply without events of its own waits for earlier writes too, so it never overtakes them.
/// If a write fails, the actor stops before anything depending on it was said; its successor recovers
/// from the journal. In memory (the default) the same path runs with nothing to wait for.
/// </para>
/// </summary>
public sealed class SchedulerActor : UntypedPersistentActor, IWithTimers
{
    private const string RecoveryGraceTimer = "recovery-grace";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SchedulerSettings _settings;
    private readonly DurabilitySettings _persistence;
    private readonly TimeProvider _clock;
    private readonly IActorRef _strategy;
    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private readonly string _persistenceId;
    private SchedulerState _state;
    private string? _placing;
    private long _incarnations;

    // Journal bookkeeping (durable mode only): events gathered or being written, and snapshots.
    private readonly JournalBatch _batch = new();
    private bool _flushScheduled;
    private int _inFlight;
    private int _sinceSnapshot;
    private bool _snapshotDue;
    private long _lastSnapshot;

    public SchedulerActor(SchedulerSettings settings, DurabilitySettings persistence, TimeProvider clock)
    {
        _settings = settings;
        _persistence = persistence;
        _clock = clock;
        _state = new SchedulerState(settings);
        _strategy = Context.ActorOf(StrategyActor.Props(settings), "strategy");
        // In memory, nothing is written; a private id and the in-memory plugins only answer the recovery (empty).
        _persistenceId = persistence.IsDurable ? DurabilitySettings.PersistenceId : $"{DurabilitySettings.PersistenceId}-in-memory-{Guid.NewGuid():N}";
        JournalPluginId = persistence.IsDurable ? PersistenceConfig.SqlJournal : PersistenceConfig.MemoryJournal;
        SnapshotPluginId = persistence.IsDurable ? PersistenceConfig.SqlSnapshotStore : PersistenceConfig.MemorySnapshotStore;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => _persistenceId;

    /// <summary>Props for an in-memory scheduler; <paramref name="clock"/> defaults to the system clock (tests pass a manual one).</summary>
    public static Props Props(SchedulerSettings settings, TimeProvider? clock = null) =>
        Props(settings, DurabilitySettings.InMemory, clock);

    /// <summary>
    /// Props for a scheduler persisting as <paramref name="persistence"/> says. A durable one needs
    /// <see cref="PersistenceConfig.For"/> in its actor system's configuration.
    /// </summary>
    public static Props Props(SchedulerSettings settings, DurabilitySettings persistence, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(settings, persistence, clock ?? TimeProvider.System));

    private DateTimeOffset Now => _clock.GetUtcNow();

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep-retention", SweepRetention.Instance, _settings.SweepInterval);
        // A child, so that it runs where the scheduler runs and moves with it when the singleton is handed over.
        if (ClusterHealthWatcher.IsClustered(Context.System))
            Context.ActorOf(ClusterHealthWatcher.Props(Self), "cluster-health");
    }

    /// <summary>
    /// A failing child fails the scheduler. Restarting only the strategy would leave an empty engine next
    /// to a state that believes tasks hold capacity (and an unanswered placement); restarting the whole
    /// scheduler keeps engine and state consistent (with persistence, it will also recover its tasks).
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Escalate);

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SchedulerSnapshot snapshot } offer:
                _state = SchedulerState.Restore(_settings, snapshot.Image);
                _lastSnapshot = offer.Metadata.SequenceNr;
                break;
            case SchedulerEvent change:
                _state.Apply(change);
                _sinceSnapshot++;
                break;
            case RecoveryCompleted:
                Recovered();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        if (message is FlushJournal)
        {
            Flush();
            return;
        }
        // A snapshot waits for the writes in flight, so that it holds exactly what the journal holds up to
        // its sequence number; meanwhile nothing new is decided.
        if (_snapshotDue && _inFlight > 0)
        {
            Stash.Stash();
            return;
        }

        switch (message)
        {
            // Clients.
            case SubmitTask submit: Answer(_state.DecideSubmission(submit, Now)); break;
            case GetTaskStatus get: Answer(_state.DecideStatusRead(get.TaskId, Now, get.Collect)); break;
            case CancelTask cancel: Answer(_state.DecideCancel(cancel.TaskId, Now)); break;
            case ListTasks list: Reply(_state.TasksOf(list.UserId, Now), Sender); break;

            // Worker nodes.
            case RegisterWorker registration: Register(registration); break;
            case NodeReport report: Answer(_state.DecideReport(report.Node, report.Report, Now)); break;
            case AgentTerminated terminated:
                // A termination of an agent the node name has since been re-registered by is old news.
                if (_links.TryGetValue(terminated.Node, out var link) && link.Agent.Equals(terminated.Agent))
                    Lose(terminated.Node, "its agent terminated");
                break;
            case WorkerLost lost: Lose(lost.Node, "cluster membership removed it"); break;
            case WorkerUnreachable unreachable: SetReachable(unreachable.Node, false); break;
            case WorkerReachable reachable: SetReachable(reachable.Node, true); break;
            case PlacementOutcome outcome: Placed(outcome); break;
            case PinRefused refused:
                _log.Warning("task {0} runs on worker node {1}, but the placement engine cannot reserve its requirements there: {2}",
                    refused.TaskId, refused.Node, refused.Reason);
                break;

            // Cluster membership, from the ClusterHealthWatcher child (running only in a cluster).
            case ClusterMemberUnreachable m: ForNodesAt(m.Address, node => SetReachable(node, false)); break;
            case ClusterMemberReachable m: ForNodesAt(m.Address, node => SetReachable(node, true)); break;
            case ClusterMemberRemoved m: ForNodesAt(m.Address, node => Lose(node, "its cluster member was removed")); break;

            // Monitors: read models, answered at once (they may show what is still being written).
            case GetNodes: Sender.Tell(_state.NodesView()); break;
            case GetQueues: Sender.Tell(_state.QueuesView()); break;
            case GetStatistics: Sender.Tell(_state.StatisticsView()); break;
            case GetHistory: Sender.Tell(_state.HistoryView(Now)); break;

            // Timers.
            case SweepRetention: Record(_state.DecideExpiry(Now)); break;
            case RecoveryGraceOver: GraceOver(); break;

            // The journal's answers about snapshots and deletions.
            case SaveSnapshotSuccess saved: Snapshotted(saved.Metadata.SequenceNr); break;
            case SaveSnapshotFailure failed:
                _log.Warning("saving a scheduler snapshot at event {0} failed ({1}); recovery replays more events until the next one succeeds",
                    failed.Metadata.SequenceNr, failed.Cause.Message);
                break;
            case DeleteMessagesFailure failed:
                _log.Warning("deleting journal events up to {0} failed: {1}", failed.ToSequenceNr, failed.Cause.Message);
                break;
            case DeleteSnapshotsFailure failed:
                _log.Warning("deleting old scheduler snapshots failed: {0}", failed.Cause.Message);
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess:
                break;

            default:
                Unhandled(message);
                break;
        }
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Error(reason, "the scheduler cannot recover its state from the {0}: {1}", _persistence.Describe(), reason.Message);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "writing scheduler event {0} ({1}) to the {2} failed: {3}; the scheduler stops without answering " +
            "what depended on it, and its successor recovers from what the journal holds", sequenceNr, @event.GetType().Name, _persistence.Describe(), cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused an event (it could not be encoded). It is already applied here, so carrying on
    /// would leave this state ahead of the journal: stop, as on a failed write.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "the journal rejected scheduler event {0} ({1}): {2}; the scheduler stops and recovers from the journal",
            sequenceNr, @event.GetType().Name, cause.Message);
        Context.Stop(Self);
    }

    private void Answer(Decision decision) => Record(decision.Events, decision.Reply, Sender);

    /// <summary>Answers after every write already gathered or under way (at once in memory, or when nothing is pending).</summary>
    private void Reply(object reply, IActorRef to)
    {
        if (!_persistence.IsDurable) to.Tell(reply);
        else if (!_batch.IsEmpty) _batch.AddAfter(() => to.Tell(reply));
        else DeferAsync(reply, r => to.Tell(r));
    }

    /// <summary>
    /// The one way state changes: applies <paramref name="events"/> in order with their in-process side
    /// effects, hands the journaled ones to the journal, and once they are durable sends what leaves the
    /// process (starts, cancels, then <paramref name="reply"/>). Then dispatches, unless told not to yet.
    /// </summary>
    private void Record(IReadOnlyList<SchedulerEvent> events, object? reply = null, IActorRef? replyTo = null, bool dispatch = true)
    {
        List<(IActorRef To, object Message)>? effects = null;
        List<SchedulerEvent>? journaled = null;
        foreach (var change in events)
        {
            _state.Apply(change);
            if (React(change) is { } effect) (effects ??= []).Add(effect);
            if (_persistence.IsDurable && IsJournaled(change)) (journaled ??= []).Add(change);
        }

        if (journaled is null)
        {
            // Nothing to wait for of its own; effects only come from journaled events.
            if (reply is not null) Reply(reply, replyTo ?? ActorRefs.Nobody);
            if (effects is not null) foreach (var (to, message) in effects) to.Tell(message);
        }
        else
        {
            _inFlight += journaled.Count;
            _batch.Add(journaled, () =>
            {
                if (effects is not null) foreach (var (to, message) in effects) to.Tell(message);
                if (reply is not null) (replyTo ?? ActorRefs.Nobody).Tell(reply);
            });
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                Self.Tell(FlushJournal.Instance);
            }
        }
        if (dispatch) Dispatch();
    }

    /// <summary>
    /// Dispatch memos are derived: they only save asking the engine again, and a recovered engine has to be
    /// asked anyway. Every other event is a fact the state cannot be rebuilt without.
    /// </summary>
    private static bool IsJournaled(SchedulerEvent change) => change is not TaskUnplaced;

    /// <summary>In-process side effects happen at once; a message for a worker node is returned, to be sent once durable.</summary>
    private (IActorRef To, object Message)? React(SchedulerEvent change)
    {
        switch (change)
        {
            case TaskStarted started:
                var task = _state.Tasks.Find(started.TaskId)!;
                return _links.TryGetValue(started.Node, out var link)
                    ? (link.Child, new StartTask(task.Id, task.TaskName, task.Payload, task.UserId, task.Priority, started.Attempt))
                    : null;
            case TaskAdopted adopted:
                // Already running there: the worker is told nothing, the engine reserves what it takes.
                _strategy.Tell(SchedulerState.PinOf(_state.Tasks.Find(adopted.TaskId)!));
                return null;
            case TaskCancelRequested cancel:
                var running = _state.Tasks.Find(cancel.TaskId)!;
                // A node away after a recovery is told when it is back (see Return).
                return _links.TryGetValue(running.Node!, out var runningLink) ? (runningLink.Child, new CancelRunningTask(cancel.TaskId)) : null;
            case TaskFinished finished:
                // Harmless when the task was still queued: the engine answers that nothing was placed.
                _strategy.Tell(new ReleaseTask(finished.TaskId));
                return null;
            case TaskRequeued requeued:
                _strategy.Tell(new ReleaseTask(requeued.TaskId));
                return null;
            case NodeRegistered registered:
                _strategy.Tell(new AddWorkerNode(registered));
                return null;
            case NodeReachabilityChanged reachability:
                _strategy.Tell(new SetNodeReachable(reachability.Node, reachability.Reachable));
                return null;
            case NodeRemoved removed:
                _strategy.Tell(new RemoveWorkerNode(removed.Node));
                if (_links.Remove(removed.Node, out var removedLink)) Context.Stop(removedLink.Child);
                return null;
            default:
                return null;
        }
    }

    private void Register(RegisterWorker registration)
    {
        var name = registration.Node;
        if (name is not null && _links.TryGetValue(name, out var link))
        {
            var known = _state.Nodes.Find(name)!;
            if (link.Agent.Equals(Sender) && known.Matches(registration))
            {
                link.Child.Tell(AnnounceRegistration.Instance);
                return;
            }
            // A new agent under a known name (the worker restarted) or a changed declaration: the old
            // node is lost, unless the new registration is refused anyway, which must not cost the old one.
            if (SubmissionRules.Problem(registration) is { } problem)
            {
                Sender.Tell(new WorkerRegistrationRejected(name, problem));
                return;
            }
            Lose(name, "it registered again", dispatch: false);
        }
        else if (name is not null && _state.Nodes.Find(name) is { } recovered)
        {
            // Known from the journal, with no agent yet: the node is back after a recovery.
            if (SubmissionRules.Problem(registration) is { } problem)
            {
                Sender.Tell(new WorkerRegistrationRejected(name, problem));
                return;
            }
            if (recovered.Matches(registration))
            {
                Return(registration);
                return;
            }
            Lose(name, "it registered again with a different declaration than before the recovery", dispatch: false);
        }

        var decision = _state.DecideRegistration(registration, Now);
        if (decision.Events.Count == 0)
        {
            Sender.Tell(decision.Reply);
            Dispatch();
            return;
        }
        Record(decision.Events, dispatch: false);
        var child = Link(registration);
        _log.Info("worker node {0} registered with {1} slots", registration.Node, registration.Slots);
        TakeOverReported(registration, child);
        Dispatch();
    }

    /// <summary>
    /// A node recovered from the journal registered again, unchanged: the tasks it reports keep running, the
    /// others it had are re-queued, it is reachable again, and cancels asked while it was away reach it now.
    /// </summary>
    private void Return(RegisterWorker registration)
    {
        var name = registration.Node;
        var reported = new HashSet<string>(registration.RunningTasks ?? [], StringComparer.Ordinal);
        var events = _state.DecideReturn(name, reported, Now);
        Record(events, dispatch: false);
        var child = Link(registration);
        var kept = _state.RunningOn(name);
        foreach (var task in kept.Where(t => t.CancelRequested)) child.Tell(new CancelRunningTask(task.Id));
        _log.Info("worker node {0} is back after the scheduler's recovery: {1} running tasks re-attached, {2} re-queued or ended",
            name, kept.Count, events.Count(e => e is TaskRequeued or TaskFinished));
        TakeOverReported(registration, child);
        Dispatch();
    }

    /// <summary>Tasks the node reports that the scheduler did not have running there: adopted if queued, else cancelled on the node.</summary>
    private void TakeOverReported(RegisterWorker registration, IActorRef child)
    {
        var outcome = _state.DecideReported(registration.Node, registration.RunningTasks, Now);
        Record(outcome.Events, dispatch: false);
        foreach (var taskId in outcome.Cancel)
        {
            _log.Info("worker node {0} runs task {1}, which the scheduler does not run there; telling it to cancel", registration.Node, taskId);
            child.Tell(new CancelRunningTask(taskId));
        }
    }

    private IActorRef Link(RegisterWorker registration)
    {
        var child = Context.ActorOf(NodeStateActor.Props(registration.Node, Sender), ChildName(registration.Node));
        _links[registration.Node] = new NodeLink(child, Sender);
        return child;
    }

    private void Lose(string node, string why, bool dispatch = true)
    {
        var events = _state.DecideNodeLost(node, Now);
        if (events.Count == 0) return;
        _log.Warning("worker node {0} is lost ({1}); {2} running tasks leave it", node, why, events.Count - 1);
        Record(events, dispatch: dispatch);
    }

    /// <summary>Reachability of nodes with an agent; a node recovered from the journal stays unreachable until it registers again.</summary>
    private void SetReachable(string node, bool reachable)
    {
        if (_links.ContainsKey(node)) Record(_state.DecideReachability(node, reachable, Now));
    }

    private void Placed(PlacementOutcome outcome)
    {
        if (outcome.TaskId == _placing) _placing = null;
        var decision = _state.DecidePlacement(outcome, Now);
        if (decision.Release) _strategy.Tell(new ReleaseTask(outcome.TaskId));
        Record(decision.Events);
    }

    /// <summary>
    /// Recovery is over: the state is what the journal held, but the placement engine is new and no node has
    /// an agent. The engine gets the nodes (in registration order) and the running tasks' reservations; the
    /// nodes are unreachable until their workers register again, for at most the recovery grace period.
    /// </summary>
    private void Recovered()
    {
        var nodes = _state.NodesInRegistrationOrder().ToList();
        foreach (var node in nodes) _strategy.Tell(new AddWorkerNode(SchedulerState.RegistrationOf(node)));
        foreach (var task in _state.RunningTasks()) _strategy.Tell(SchedulerState.PinOf(task));
        foreach (var node in nodes) _strategy.Tell(new SetNodeReachable(node.Name, false));
        if (_state.Tasks.Count > 0 || nodes.Count > 0)
        {
            _log.Info("the scheduler recovered from the {0}: {1} queued and {2} running tasks, {3} worker nodes; waiting up to {4} for those nodes to register again",
                _persistence.Describe(), _state.Queues.Queued, _state.Queues.Running, nodes.Count, _persistence.RecoveryGrace);
        }
        if (nodes.Count == 0) return;
        Record(nodes.Where(n => n.Reachable).Select(n => (SchedulerEvent)new NodeReachabilityChanged(n.Name, false, Now)).ToList());
        Timers.StartSingleTimer(RecoveryGraceTimer, RecoveryGraceOver.Instance, _persistence.RecoveryGrace);
    }

    /// <summary>Nodes recovered from the journal that have not registered again are lost: their tasks are re-queued.</summary>
    private void GraceOver()
    {
        var away = _state.Nodes.All.Select(n => n.Name).Where(n => !_links.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        foreach (var node in away)
            Lose(node, $"it did not register again within {_persistence.RecoveryGrace} of the scheduler's recovery");
    }

    /// <summary>Writes the gathered events as one batch; follow-ups run as the journal confirms them.</summary>
    private void Flush()
    {
        _flushScheduled = false;
        if (_batch.IsEmpty) return;
        var (events, progress) = _batch.Take();
        PersistAllAsync(events, _ =>
        {
            _inFlight--;
            _sinceSnapshot++;
            progress.Written();
            if (progress.Complete) SnapshotIfDue();
        });
    }

    private void SnapshotIfDue()
    {
        if (_sinceSnapshot >= _persistence.SnapshotEvery) _snapshotDue = true;
        if (!_snapshotDue || _inFlight > 0) return;
        SaveSnapshot(new SchedulerSnapshot(_state.Capture()));
        _sinceSnapshot = 0;
        _snapshotDue = false;
        Stash.UnstashAll();
    }

    /// <summary>
    /// A snapshot is saved. The journal keeps the events after the snapshot before it, and that snapshot, so
    /// one damaged snapshot still leaves a way to recover; older ones go.
    /// </summary>
    private void Snapshotted(long sequenceNr)
    {
        var older = _lastSnapshot;
        _lastSnapshot = sequenceNr;
        if (older <= 0) return;
        DeleteMessages(older);
        DeleteSnapshots(new SnapshotSelectionCriteria(older - 1));
    }

    /// <summary>Asks the strategy to place the next task, unless a placement is already being asked or nothing can start.</summary>
    private void Dispatch()
    {
        if (_placing is not null) return;
        if (_state.NextPlacement() is not { } request) return;
        _placing = request.TaskId;
        _strategy.Tell(request);
    }

    /// <summary>Runs <paramref name="act"/> for each worker node whose agent lives at <paramref name="address"/>, in name order.</summary>
    private void ForNodesAt(Address address, Action<string> act)
    {
        foreach (var node in _links.Where(l => l.Value.Agent.Path.Address.Equals(address)).Select(l => l.Key).Order(StringComparer.Ordinal).ToList())
            act(node);
    }

    private string ChildName(string node) => $"node-{Uri.EscapeDataString(node)}-{++_incarnations}";

    private sealed record NodeLink(IActorRef Child, IActorRef Agent);
}
