using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lighthouse.Hosting;
using Lighthouse.Messaging;
using Lighthouse.Persistence;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The one owner of scheduling state (it runs as a cluster singleton). It routes every message to a
/// decision of <see cref="SchedulerState"/>, applies the events that come back, and carries out their
/// side effects: starts and cancels through the node's <see cref="NodeStateActor"/>, releases and node
/// changes to the <see cref="StrategyActor"/>. After each message it dispatches what can start.
/// <para>
/// At most one placement request is out at a time: it offers the next tasks in the order one-at-a-time
/// dispatch would (each chosen as if the ones before it started, see <see cref="SchedulerState.NextPlacements"/>),
/// the engine places them in that order, each seeing the reservations before it, and the next request is made
/// only once the answers are applied. So dispatch is the same for the same sequence of messages, and a busy
/// scheduler starts up to <see cref="PlacementBatch"/> tasks per round trip to the strategy instead of one.
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
/// <para>
/// Wire (<see cref="Outbox"/>): what leaves for clients and worker nodes is held until the mailbox is drained and
/// then sent as one <see cref="MessageBatch"/> per recipient, so a busy scheduler sends one remote message per
/// client and per node for everything it decided meanwhile. A <see cref="MessageBatch"/> that comes in is handled
/// message by message, each as if it had come alone; only senders that batch themselves (and node links, and
/// watchers) are sent batches, so a plain <c>Ask</c> always gets its one answer alone. A
/// <see cref="CorrelatedRequest"/> (from <see cref="Lighthouse.Client.SchedulerClientActor"/>) is handled as its inner
/// request, and its answer goes back as a <see cref="CorrelatedAnswer"/> of the same id, deferred like any other.
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
    /// <summary>The most tasks offered to the strategy in one request.</summary>
    internal const int PlacementBatch = 256;

    private bool _placing;
    private long _incarnations;

    // The wire: replies, pushes, starts and cancels held until the mailbox is drained (see the class remarks).
    private readonly Outbox _outbox = new();
    private readonly TaskWatchers _watchers = new();
    private bool _inBatch;

    // The id of the CorrelatedRequest being handled, if any: its answer is wrapped where it is created (see Reply),
    // so that a reply deferred until the journal write carries the id with it.
    private bool _correlated;
    private long _correlationId;

    // The ClusterHealthWatcher child, when clustered: told of registrations for its "no workers" warning.
    private IActorRef? _health;

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
        JournalPluginId = persistence.JournalPluginId ?? DurabilitySettings.MemoryJournal;
        SnapshotPluginId = persistence.SnapshotPluginId ?? DurabilitySettings.MemorySnapshotStore;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => _persistenceId;

    /// <summary>Props for an in-memory scheduler; <paramref name="clock"/> defaults to the system clock (tests pass a manual one).</summary>
    public static Props Props(SchedulerSettings settings, TimeProvider? clock = null) =>
        Props(settings, DurabilitySettings.InMemory, clock);

    /// <summary>
    /// Props for a scheduler persisting as <paramref name="persistence"/> says. A durable one needs
    /// its plugins and <see cref="PersistenceConfig.Serialization"/> in its actor system's configuration.
    /// </summary>
    public static Props Props(SchedulerSettings settings, DurabilitySettings persistence, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(settings, persistence, clock ?? TimeProvider.System));

    private DateTimeOffset Now => _clock.GetUtcNow();

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep-retention", SweepRetention.Instance, _settings.SweepInterval);
        // A child, so that it runs where the scheduler runs and moves with it when the singleton is handed over.
        if (ClusterHealthWatcher.IsClustered(Context.System))
            _health = Context.ActorOf(ClusterHealthWatcher.Props(Self), "cluster-health");
    }

    /// <summary>
    /// A failing child fails the scheduler. Restarting only the strategy would leave an empty engine next
    /// to a state that believes tasks hold capacity (and an unanswered placement); restarting the whole
    /// scheduler keeps engine and state consistent (with persistence, it will also recover its tasks).
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Escalate);

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case FlushJournal:
                Flush();
                return;
            case FlushOutbox:
                _outbox.Flush(Self);
                return;
        }
        // A snapshot waits for the writes in flight, so that it holds exactly what the journal holds up to
        // its sequence number; meanwhile nothing new is decided.
        if (_snapshotDue && _inFlight > 0)
        {
            Stash.Stash();
            return;
        }
        if (message is not MessageBatch batch)
        {
            Handle(message);
            return;
        }
        // Each message of a batch as if it had come alone from the batch's sender (Sender stays that sender);
        // their answers go back batched.
        _inBatch = true;
        try
        {
            foreach (var inner in batch.Messages)
            {
                if (inner is MessageBatch or FlushJournal or FlushOutbox) Unhandled(inner);
                else Handle(inner);
            }
        }
        finally
        {
            _inBatch = false;
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            // Clients.
            case CorrelatedRequest correlated: HandleCorrelated(correlated); break;
            case SubmitTask submit: Submit(submit); break;
            case GetTaskStatus get: Answer(_state.DecideStatusRead(get.TaskId, Now, get.Collect)); break;
            case WatchTask watch: Watch(watch); break;
            case CancelTask cancel: Answer(_state.DecideCancel(cancel.TaskId, Now)); break;
            case ListTasks list: ReplyAfterWrites(Reply(_state.TasksOf(list.UserId, Now)), Sender, _inBatch); break;

            // Worker nodes.
            case RegisterWorker registration: Register(registration); break;
            case NodeReport report:
                var reported = _state.DecideReport(report.Node, report.Report, Now);
                Record(reported.Events, reported.Reply, Sender, batchable: true); // the sender is the node's link
                break;
            case AgentTerminated terminated:
                // A termination of an agent the node name has since been re-registered by is old news.
                if (_links.TryGetValue(terminated.Node, out var link) && link.Agent.Equals(terminated.Agent))
                    Lose(terminated.Node, "its agent terminated");
                break;
            case WorkerLost lost: Lose(lost.Node, "cluster membership removed it"); break;
            case WorkerUnreachable unreachable: SetReachable(unreachable.Node, false); break;
            case WorkerReachable reachable: SetReachable(reachable.Node, true); break;
            case PlacementOutcomes outcomes: Placed(outcomes); break;
            case PinRefused refused:
                _log.Warning("task {0} runs on worker node {1}, but the placement engine cannot reserve its requirements there: {2}",
                    refused.TaskId, refused.Node, refused.Reason);
                break;

            // Cluster membership, from the ClusterHealthWatcher child (running only in a cluster).
            case ClusterMemberUnreachable m: ForNodesAt(m.Address, node => SetReachable(node, false)); break;
            case ClusterMemberReachable m: ForNodesAt(m.Address, node => SetReachable(node, true)); break;
            case ClusterMemberRemoved m: ForNodesAt(m.Address, node => Lose(node, "its cluster member was removed")); break;

            // Monitors: read models, answered at once (they may show what is still being written).
            case GetNodes: Send(Sender, Reply(_state.NodesView()), _inBatch); break;
            case GetQueues: Send(Sender, Reply(_state.QueuesView()), _inBatch); break;
            case GetStatistics: Send(Sender, Reply(_state.StatisticsView()), _inBatch); break;
            case GetHistory: Send(Sender, Reply(_state.HistoryView(Now)), _inBatch); break;

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

    private void Answer(Decision decision) =>
        Record(decision.Events, decision.Reply is { } reply ? Reply(reply) : null, Sender, batchable: _inBatch);

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
        request is SubmitTask or GetTaskStatus or WatchTask or CancelTask or ListTasks or GetNodes or GetQueues or GetStatistics or GetHistory;

    /// <summary>The answer to the request being handled, as its sender needs it: wrapped with the id of a <see cref="CorrelatedRequest"/>, else as is.</summary>
    private object Reply(object answer) => _correlated ? new CorrelatedAnswer(_correlationId, answer) : answer;

    /// <summary>Holds <paramref name="message"/> for <paramref name="to"/> until the mailbox is drained (see <see cref="Outbox"/>).</summary>
    private void Send(IActorRef to, object message, bool batchable)
    {
        if (_outbox.Add(to, message, batchable)) Self.Tell(FlushOutbox.Instance);
    }

    /// <summary>
    /// The one way state changes: applies <paramref name="events"/> in order with their in-process side
    /// effects, hands the journaled ones to the journal, and once they are durable sends what leaves the
    /// process (starts, cancels, pushes to watchers, then <paramref name="reply"/>). Then dispatches, unless told not to yet.
    /// </summary>
    private void Record(IReadOnlyList<SchedulerEvent> events, object? reply = null, IActorRef? replyTo = null, bool dispatch = true, bool batchable = false)
    {
        List<(IActorRef To, object Message)>? effects = null;
        List<SchedulerEvent>? journaled = null;
        List<string>? collect = null;
        foreach (var change in events)
        {
            _state.Apply(change);
            React(change, ref effects, ref collect);
            if (_persistence.IsDurable && IsJournaled(change)) (journaled ??= []).Add(change);
        }

        if (journaled is null)
        {
            // Nothing to wait for of its own; effects only come from journaled events.
            if (reply is not null) ReplyAfterWrites(reply, replyTo ?? ActorRefs.Nobody, batchable);
            if (effects is not null) foreach (var (to, message) in effects) Send(to, message, batchable: true);
        }
        else
        {
            _inFlight += journaled.Count;
            _batch.Add(journaled, () =>
            {
                if (effects is not null) foreach (var (to, message) in effects) Send(to, message, batchable: true);
                if (reply is not null) Send(replyTo ?? ActorRefs.Nobody, reply, batchable);
            });
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                Self.Tell(FlushJournal.Instance);
            }
        }
        // A finished task told to a watcher that collects is collected, as a status read would.
        if (collect is not null)
            foreach (var taskId in collect) Record(_state.DecideStatusRead(taskId, Now, collect: true).Events, dispatch: false);
        if (dispatch) Dispatch();
    }

    /// <summary>Answers after every write already gathered or under way (at once in memory, or when nothing is pending).</summary>
    private void ReplyAfterWrites(object reply, IActorRef to, bool batchable)
    {
        if (!_persistence.IsDurable || _inFlight == 0 && _batch.IsEmpty) Send(to, reply, batchable);
        else if (!_batch.IsEmpty) _batch.AddAfter(() => Send(to, reply, batchable));
        else DeferAsync(reply, r => Send(to, r, batchable));
    }

    /// <summary>
    /// In-process side effects happen at once; messages for worker nodes and watchers are gathered in
    /// <paramref name="effects"/>, to be sent once durable; watched tasks that finished for a collecting watcher in <paramref name="collect"/>.
    /// </summary>
    private void React(SchedulerEvent change, ref List<(IActorRef To, object Message)>? effects, ref List<string>? collect)
    {
        switch (change)
        {
            case TaskStarted started:
                var task = _state.Tasks.Find(started.TaskId)!;
                if (_links.TryGetValue(started.Node, out var link))
                    (effects ??= []).Add((link.Child, new StartTask(task.Id, task.TaskName, task.Payload, task.UserId, task.Priority, started.Attempt)));
                break;
            case TaskAdopted adopted:
                // Already running there: the worker is told nothing, the engine reserves what it takes.
                _strategy.Tell(SchedulerState.PinOf(_state.Tasks.Find(adopted.TaskId)!));
                break;
            case TaskCancelRequested cancel:
                var running = _state.Tasks.Find(cancel.TaskId)!;
                // A node away after a recovery is told when it is back (see Return).
                if (_links.TryGetValue(running.Node!, out var runningLink)) (effects ??= []).Add((runningLink.Child, new CancelRunningTask(cancel.TaskId)));
                break;
            case TaskFinished finished:
                // Harmless when the task was still queued: the engine answers that nothing was placed.
                _strategy.Tell(new ReleaseTask(finished.TaskId));
                break;
            case TaskRequeued requeued:
                _strategy.Tell(new ReleaseTask(requeued.TaskId));
                break;
            case NodeRegistered registered:
                _strategy.Tell(new AddWorkerNode(registered));
                _health?.Tell(WorkerNodeAppeared.Instance);
                break;
            case NodeReachabilityChanged reachability:
                _strategy.Tell(new SetNodeReachable(reachability.Node, reachability.Reachable));
                break;
            case NodeRemoved removed:
                _strategy.Tell(new RemoveWorkerNode(removed.Node));
                if (_links.Remove(removed.Node, out var removedLink)) Context.Stop(removedLink.Child);
                break;
            case TaskForgotten forgotten:
                _watchers.Forget(forgotten.TaskId);
                break;
        }
        if (_watchers.IsEmpty) return;
        switch (change)
        {
            case TaskFinished finished when _watchers.Take(finished.TaskId) is { } watchers:
                var update = new TaskUpdated(_state.Info(_state.Tasks.Find(finished.TaskId)!));
                foreach (var watcher in watchers) (effects ??= []).Add((watcher.Ref, update));
                if (watchers.Any(w => w.Collect)) (collect ??= []).Add(finished.TaskId);
                break;
            default:
                if (ProgressOf(change) is { } taskId && _watchers.ProgressWatchers(taskId) is { } progressWatchers)
                {
                    var progressed = new TaskUpdated(_state.Info(_state.Tasks.Find(taskId)!));
                    foreach (var watcher in progressWatchers) (effects ??= []).Add((watcher, progressed));
                }
                break;
        }
    }

    /// <summary>The task whose state or progress <paramref name="change"/> moved on without ending it: what progress watchers are told.</summary>
    private static string? ProgressOf(SchedulerEvent change) => change switch
    {
        TaskStarted e => e.TaskId,
        TaskProgressed e => e.TaskId,
        TaskRequeued e => e.TaskId,
        TaskCancelRequested e => e.TaskId,
        TaskAdopted e => e.TaskId,
        _ => null,
    };

    /// <summary>A submission; with Watch, its sender is told the task's end (see <see cref="SubmitTask.Watch"/>).</summary>
    private void Submit(SubmitTask submit)
    {
        var decision = _state.DecideSubmission(submit, Now);
        Answer(decision);
        if (submit.Watch && decision.Reply is SubmissionAccepted accepted) StartWatching(accepted.TaskId, Sender, progress: false, collect: true);
    }

    /// <summary>Answers the task's status at once, then pushes its changes to the sender (see <see cref="WatchTask"/>).</summary>
    private void Watch(WatchTask watch)
    {
        Answer(_state.DecideStatusRead(watch.TaskId, Now, watch.Collect));
        if (_state.Tasks.Find(watch.TaskId) is { } task && !task.State.IsFinished())
            _watchers.Add(watch.TaskId, Sender, watch.Progress, watch.Collect);
    }

    /// <summary>Watches a task just accepted (or accepted before, for a repeated submission): an already finished one is told at once.</summary>
    private void StartWatching(string taskId, IActorRef watcher, bool progress, bool collect)
    {
        if (_state.Tasks.Find(taskId) is not { } task) return;
        if (!task.State.IsFinished())
        {
            _watchers.Add(taskId, watcher, progress, collect);
            return;
        }
        ReplyAfterWrites(new TaskUpdated(_state.Info(task)), watcher, batchable: true);
        if (collect) Record(_state.DecideStatusRead(taskId, Now, collect: true).Events, dispatch: false);
    }

    private void Placed(PlacementOutcomes answers)
    {
        _placing = false;
        foreach (var outcome in answers.Outcomes)
        {
            var decision = _state.DecidePlacement(outcome, Now);
            if (decision.Release) _strategy.Tell(new ReleaseTask(outcome.TaskId));
            Record(decision.Events, dispatch: false);
        }
        // Before the next request: the write held back for these answers goes now (see Flush).
        if (_flushAfterPlacement) Flush();
        Dispatch();
    }

    /// <summary>Asks the strategy to place the next tasks, unless a placement is already being asked or nothing can start.</summary>
    private void Dispatch()
    {
        if (_placing) return;
        var requests = _state.NextPlacements(PlacementBatch);
        if (requests.Count == 0) return;
        _placing = true;
        _strategy.Tell(new PlaceTasks(requests));
    }
}
