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
public sealed partial class SchedulerActor : UntypedPersistentActor, IWithTimers
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

    private void Answer(Decision decision) => Record(decision.Events, decision.Reply, Sender);

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

    private void Placed(PlacementOutcome outcome)
    {
        if (outcome.TaskId == _placing) _placing = null;
        var decision = _state.DecidePlacement(outcome, Now);
        if (decision.Release) _strategy.Tell(new ReleaseTask(outcome.TaskId));
        Record(decision.Events);
    }

    /// <summary>Asks the strategy to place the next task, unless a placement is already being asked or nothing can start.</summary>
    private void Dispatch()
    {
        if (_placing is not null) return;
        if (_state.NextPlacement() is not { } request) return;
        _placing = request.TaskId;
        _strategy.Tell(request);
    }
}
