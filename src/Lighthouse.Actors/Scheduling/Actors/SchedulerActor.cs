using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
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
/// One idea per file: this one routes messages; <c>.Effects</c> is the one way state changes and what each
/// event sets off; <c>.Dispatch</c> the placement loop with the strategy; <c>.Replies</c> how answers leave
/// (correlated, batched, after the writes they depend on); <c>.Watches</c> pushes to watchers; <c>.Nodes</c>
/// registrations, losses and reachability; <c>.Journal</c> recovery, writes and snapshots.
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
    private readonly string _persistenceId;
    private SchedulerState _state;

    // The ClusterHealthWatcher child, when clustered: told of registrations for its "no workers" warning.
    private IActorRef? _health;

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
        StartSessions();
        Timers.StartPeriodicTimer("sweep-retention", SweepRetention.Instance, _settings.SweepInterval);
        // A child, so that it runs where the scheduler runs and moves with it when the singleton is handed over.
        if (ClusterHealthWatcher.IsClustered(Context.System))
        {
            _health = Context.ActorOf(ClusterHealthWatcher.Props(Self), "cluster-health");
            StartPauseWatch();
        }
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
            // Before the fence and the snapshot's stash: a hand-over is never held back (SchedulerActor.HandOver).
            case HandOverScheduler:
                HandOver();
                return;
            case HandOverDeadline:
                _log.Warning("the hand-over's snapshot took longer than {0}: stopping without it (the successor replays the journal)", HandOverSnapshotLimit);
                HandedOver();
                return;
        }
        // First, before anything is decided: a scheduler that was frozen may have been replaced (SchedulerActor.Fence).
        if (Fenced())
        {
            WhileFenced(message);
            return;
        }
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
        if (_sessions is { } sessions)
        {
            HandleSecure(sessions, message);
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
            case ListTasks list: ReplyAfterWrites(Reply(_state.TasksOf(list.UserId, Now)), Sender, ClientDelivery); break;

            // Worker nodes, and from their node actors (whose Sender is checked to be the node's current one).
            case RegisterWorker registration: Register(registration); break;
            case NodeReport report: Reported(report); break;
            case NodeLost lost:
                // A loss told by a node actor the name has since been re-registered with is old news.
                if (IsCurrentLink(lost.Node)) Lose(lost.Node, lost.Why);
                break;
            case NodeReachability reachability:
                if (IsCurrentLink(reachability.Node)) SetReachable(reachability.Node, reachability.Reachable);
                break;
            case WorkerLost lost: Lose(lost.Node, "cluster membership removed it"); break;
            case WorkerUnreachable unreachable: SetReachable(unreachable.Node, false); break;
            case WorkerReachable reachable: SetReachable(reachable.Node, true); break;
            case PlacementOutcomes outcomes: Placed(outcomes); break;
            case PinRefused refused:
                _log.Warning("task {0} runs on worker node {1}, but the placement engine cannot reserve its requirements there: {2}",
                    refused.TaskId, refused.Node, refused.Reason);
                break;

            // Cluster membership, from the ClusterHealthWatcher child (running only in a cluster): each node actor
            // knows whether its agent lives at that address.
            case ClusterMemberUnreachable or ClusterMemberReachable or ClusterMemberRemoved: TellLinks(message); break;

            // Monitors: read models, answered at once (they may show what is still being written).
            case GetNodes: Send(Sender, Reply(_state.NodesView()), ClientDelivery); break;
            case GetQueues get: Send(Sender, Reply(_state.QueuesView(get)), ClientDelivery); break;
            case GetStatistics statistics: Send(Sender, Reply(_state.StatisticsView(statistics, Now)), ClientDelivery); break;
            case GetHistory: Send(Sender, Reply(_state.HistoryView(Now)), ClientDelivery); break;

            // Admins: concurrency limits (SchedulerActor.Limits.cs).
            case GetConcurrencyLimits: Send(Sender, Reply(_state.LimitsView()), ClientDelivery); break;
            case SetConcurrencyLimit set: SetLimit(set); break;
            // Admins: the per-user policies (the Authorization table keeps everyone else out in a secure scheduler).
            case GetUserPolicies: Send(Sender, Reply(_state.UserPoliciesView()), ClientDelivery); break;
            case SetUserPolicy change: Answer(_state.DecideUserPolicy(change, Now)); break;

            // A participant with TLS credentials talking to a scheduler without: say so instead of leaving it waiting.
            case OpenSession:
                Sender.Tell(new SessionRefused("this scheduler runs without TLS credentials and has no sessions: give the host --tls-cert, --tls-key and --tls-ca"));
                break;

            // Timers.
            case SweepRetention: Record(_state.DecideExpiry(Now)); break;
            case AlarmsDue: Alarms(); break;
            case RecoveryGraceOver: GraceOver(); break;
            // Late answers to the pause fence's probes, once it has opened.
            case ActorIdentity or FenceProbeDue: break;

            // The journal's answers about snapshots and deletions.
            case SaveSnapshotSuccess saved:
                Snapshotted(saved.Metadata.SequenceNr);
                HandedOver();
                break;
            case SaveSnapshotFailure failed:
                _log.Warning("saving a scheduler snapshot at event {0} failed ({1}); recovery replays more events until the next one succeeds",
                    failed.Metadata.SequenceNr, failed.Cause.Message);
                HandedOver();
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
}
