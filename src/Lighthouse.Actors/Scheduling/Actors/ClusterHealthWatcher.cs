using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The scheduler's eyes on the cluster. The <see cref="SchedulerActor"/> starts it as a child when it runs
/// in a cluster, so it lives wherever the scheduler singleton lives and moves with it. It tells the scheduler which
/// members became unreachable, reachable again or were removed (the scheduler passes that on to its node actors, each
/// of which knows whether its agent lives there), and every <see cref="CheckInterval"/> it reads the scheduler's node and queue counts to
/// warn when tasks wait and no worker node exists (see <see cref="NoWorkersAlarm"/>).
/// </summary>
internal sealed class ClusterHealthWatcher : ReceiveActor, IWithTimers
{
    /// <summary>How often the "no workers" condition is checked: cheap reads, and a log line need not be quicker.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _scheduler;
    private readonly NoWorkersAlarm _alarm = new();
    private int? _workerNodes;

    public ClusterHealthWatcher(IActorRef scheduler)
    {
        _scheduler = scheduler;
        Receive<ClusterEvent.UnreachableMember>(e => Report(new ClusterMemberUnreachable(e.Member.Address), e.Member, "is unreachable"));
        Receive<ClusterEvent.ReachableMember>(e => Report(new ClusterMemberReachable(e.Member.Address), e.Member, "is reachable again"));
        Receive<ClusterEvent.MemberRemoved>(e => Report(new ClusterMemberRemoved(e.Member.Address), e.Member, "was removed"));
        Receive<WorkerNodeAppeared>(_ => _alarm.WorkerAppeared());

        Receive<CheckForWorkers>(_ =>
        {
            // Answered in this order: a sender's messages to one actor arrive in the order sent, and so do the replies.
            _scheduler.Tell(GetNodes.Instance);
            _scheduler.Tell(GetQueues.Instance);
        });
        Receive<NodesView>(nodes => _workerNodes = nodes.Nodes.Count);
        Receive<QueuesView>(queues =>
        {
            if (_workerNodes is { } count && _alarm.Observe(count, queues.Queued) is { } warning)
                _log.Warning(warning);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A watcher reporting to <paramref name="scheduler"/>.</summary>
    public static Props Props(IActorRef scheduler) => Akka.Actor.Props.Create(() => new ClusterHealthWatcher(scheduler));

    /// <summary>Whether <paramref name="system"/> is a cluster member, i.e. there is membership to watch.</summary>
    public static bool IsClustered(ActorSystem system) => ((ExtendedActorSystem)system).Provider is IClusterActorRefProvider;

    protected override void PreStart()
    {
        // Current unreachable members arrive first as events, so a scheduler that took over sees them at once.
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
        Timers.StartPeriodicTimer("check-for-workers", CheckForWorkers.Instance, CheckInterval);
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Report(object message, Member member, string what)
    {
        _log.Info("cluster member {0} (roles {1}) {2}", member.Address, string.Join(", ", member.Roles.Order(StringComparer.Ordinal)), what);
        _scheduler.Tell(message);
    }
}
