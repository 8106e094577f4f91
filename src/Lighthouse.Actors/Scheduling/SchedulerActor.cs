using Akka.Actor;
using Akka.Event;
using Lighthouse.Hosting;
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
/// </summary>
public sealed class SchedulerActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SchedulerState _state;
    private readonly TimeProvider _clock;
    private readonly IActorRef _strategy;
    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private string? _placing;
    private long _incarnations;

    public SchedulerActor(SchedulerSettings settings, TimeProvider clock)
    {
        _state = new SchedulerState(settings);
        _clock = clock;
        _strategy = Context.ActorOf(StrategyActor.Props(settings), "strategy");

        // Clients.
        Receive<SubmitTask>(submit => Answer(_state.DecideSubmission(submit, Now)));
        Receive<GetTaskStatus>(get => Answer(_state.DecideStatusRead(get.TaskId, Now)));
        Receive<CancelTask>(cancel => Answer(_state.DecideCancel(cancel.TaskId, Now)));
        Receive<ListTasks>(list => Sender.Tell(_state.TasksOf(list.UserId, Now)));

        // Worker nodes.
        Receive<RegisterWorker>(Register);
        Receive<NodeReport>(report => Answer(_state.DecideReport(report.Node, report.Report, Now)));
        Receive<AgentTerminated>(terminated =>
        {
            // A termination of an agent the node name has since been re-registered by is old news.
            if (_links.TryGetValue(terminated.Node, out var link) && link.Agent.Equals(terminated.Agent))
                Lose(terminated.Node, "its agent terminated");
        });
        Receive<WorkerLost>(lost => Lose(lost.Node, "cluster membership removed it"));
        Receive<WorkerUnreachable>(unreachable => Apply(_state.DecideReachability(unreachable.Node, false, Now)));
        Receive<WorkerReachable>(reachable => Apply(_state.DecideReachability(reachable.Node, true, Now)));
        Receive<PlacementOutcome>(Placed);

        // Cluster membership, from the ClusterHealthWatcher child (running only in a cluster).
        Receive<ClusterMemberUnreachable>(m => ForNodesAt(m.Address, node => Apply(_state.DecideReachability(node, false, Now))));
        Receive<ClusterMemberReachable>(m => ForNodesAt(m.Address, node => Apply(_state.DecideReachability(node, true, Now))));
        Receive<ClusterMemberRemoved>(m => ForNodesAt(m.Address, node => Lose(node, "its cluster member was removed")));

        // Monitors.
        Receive<GetNodes>(_ => Sender.Tell(_state.NodesView()));
        Receive<GetQueues>(_ => Sender.Tell(_state.QueuesView()));
        Receive<GetStatistics>(_ => Sender.Tell(_state.StatisticsView()));
        Receive<GetHistory>(_ => Sender.Tell(_state.HistoryView(Now)));

        Receive<SweepRetention>(_ => Apply(_state.DecideExpiry(Now)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the scheduler; <paramref name="clock"/> defaults to the system clock (tests pass a manual one).</summary>
    public static Props Props(SchedulerSettings settings, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(settings, clock ?? TimeProvider.System));

    private DateTimeOffset Now => _clock.GetUtcNow();

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep-retention", SweepRetention.Instance, _state.Settings.SweepInterval);
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

    private void Answer(Decision decision)
    {
        Apply(decision.Events);
        if (decision.Reply is { } reply) Sender.Tell(reply);
    }

    private void Register(RegisterWorker registration)
    {
        var now = Now;
        if (registration.Node is { } name && _links.TryGetValue(name, out var link))
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
            Lose(name, "it registered again");
        }

        var decision = _state.DecideRegistration(registration, now);
        if (decision.Events.Count == 0)
        {
            Sender.Tell(decision.Reply);
            return;
        }
        Apply(decision.Events);
        var child = Context.ActorOf(NodeStateActor.Props(registration.Node, Sender), ChildName(registration.Node));
        _links[registration.Node] = new NodeLink(child, Sender);
        _log.Info("worker node {0} registered with {1} slots", registration.Node, registration.Slots);
        Dispatch();
    }

    private void Lose(string node, string why)
    {
        var events = _state.DecideNodeLost(node, Now);
        if (events.Count == 0) return;
        _log.Warning("worker node {0} is lost ({1}); {2} running tasks leave it", node, why, events.Count - 1);
        Apply(events);
    }

    private void Placed(PlacementOutcome outcome)
    {
        if (outcome.TaskId == _placing) _placing = null;
        var decision = _state.DecidePlacement(outcome, Now);
        if (decision.Release) _strategy.Tell(new ReleaseTask(outcome.TaskId));
        Apply(decision.Events);
    }

    /// <summary>Applies events in order, carries out each one's side effects, then dispatches.</summary>
    private void Apply(IReadOnlyList<SchedulerEvent> events)
    {
        foreach (var change in events)
        {
            _state.Apply(change);
            React(change);
        }
        Dispatch();
    }

    private void React(SchedulerEvent change)
    {
        switch (change)
        {
            case TaskStarted started:
                var task = _state.Tasks.Find(started.TaskId)!;
                _links[started.Node].Child.Tell(new StartTask(task.Id, task.TaskName, task.Payload, task.UserId, task.Priority, started.Attempt));
                break;
            case TaskCancelRequested cancel:
                var running = _state.Tasks.Find(cancel.TaskId)!;
                _links[running.Node!].Child.Tell(new CancelRunningTask(cancel.TaskId));
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
                break;
            case NodeReachabilityChanged reachability:
                _strategy.Tell(new SetNodeReachable(reachability.Node, reachability.Reachable));
                break;
            case NodeRemoved removed:
                _strategy.Tell(new RemoveWorkerNode(removed.Node));
                if (_links.Remove(removed.Node, out var link)) Context.Stop(link.Child);
                break;
        }
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
