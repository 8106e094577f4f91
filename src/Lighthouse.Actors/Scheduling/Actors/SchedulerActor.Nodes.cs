using Akka.Actor;
using Akka.Event;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Worker nodes: registrations (first, again, and back after a recovery), losses and reachability. Each registered
// node has a NodeStateActor child, its link: the watch on its agent, its member's reachability, the check of who
// reports and the outbox to its worker live there; what the node has and runs lives in the state.
public sealed partial class SchedulerActor
{
    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private long _incarnations;

    private void Register(RegisterWorker registration)
    {
        var name = registration.Node;
        if (name is not null && _links.TryGetValue(name, out var link))
        {
            var known = _state.Nodes.Find(name)!;
            if (link.Agent.Equals(Sender) && link.Token == _caller?.Token && known.Matches(registration))
            {
                link.Child.Tell(AnnounceRegistration.Instance);
                return;
            }
            // A new agent under a known name (the worker restarted) or a changed declaration: the old
            // node is lost, unless the new registration is refused anyway, which must not cost the old one.
            if (SubmissionRules.Problem(registration, _settings) is { } problem)
            {
                Sender.Tell(ToAgent(new WorkerRegistrationRejected(name, problem)));
                return;
            }
            // Another member claiming the name of a live, reachable worker is refused: two workers taking a name
            // from each other in turn re-registered thousands of times a second. A restarted worker on another
            // address gets the name once the old one is unreachable or removed.
            if (!link.Agent.Equals(Sender) && link.Agent.Path.Address != Sender.Path.Address && known.Reachable)
            {
                RefuseHeldName(name, link.Agent, Sender);
                return;
            }
            Lose(name, "it registered again", dispatch: false);
        }
        else if (name is not null && _state.Nodes.Find(name) is { } recovered)
        {
            // Known from the journal, with no agent yet: the node is back after a recovery.
            if (SubmissionRules.Problem(registration, _settings) is { } problem)
            {
                Sender.Tell(ToAgent(new WorkerRegistrationRejected(name, problem)));
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
            Sender.Tell(ToAgent(decision.Reply!));
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
        foreach (var task in kept.Where(t => t.CancelRequested)) Send(child, new CancelRunningTask(task.Id), Delivery.ToNode);
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
            Send(child, new CancelRunningTask(taskId), Delivery.ToNode);
        }
    }

    /// <summary>
    /// A worker's report, from its node's actor (the <c>Sender</c>). A final report the state takes is acknowledged once
    /// its end is durable (<see cref="ReportsAcknowledged"/>), so the worker forgets it; one sent again after a fail-over
    /// for a task that already ended here the same way (the first copy was taken, its acknowledgement lost) is
    /// acknowledged quietly instead of refused. Anything else refused is answered <see cref="ReportRejected"/>.
    /// </summary>
    private void Reported(NodeReport report)
    {
        var decision = _state.DecideReport(report.Node, report.Report, Now);
        if (report.Report is ReportProgress)
        {
            Record(decision.Events, decision.Reply, Sender, delivery: Delivery.ToNode);
            return;
        }
        var taskId = report.Report.TaskId;
        if (decision.Reply is ReportRejected && EndedAlreadyAsReported(report.Node, report.Report))
        {
            _log.Debug("worker node {0} sent again its {1} of task {2}, which already ended so; acknowledged", report.Node, report.Report.GetType().Name, taskId);
            ReplyAfterWrites(new ReportsAcknowledged([taskId]), Sender, Delivery.ToNode);
            return;
        }
        Record(decision.Events, decision.Reply ?? new ReportsAcknowledged([taskId]), Sender, delivery: Delivery.ToNode);
    }

    /// <summary>Whether the task ended on <paramref name="node"/> the way <paramref name="report"/> says (or as a cancel it answers).</summary>
    private bool EndedAlreadyAsReported(string node, IWorkerReport report) =>
        _state.Tasks.Find(report.TaskId) is { } task && task.State.IsFinished() && task.Node == node && (task.State, report) switch
        {
            (TaskState.Cancelled, _) when task.CancelRequested => true,
            (TaskState.Cancelled, AcknowledgeCancel) => true,
            (TaskState.Succeeded, ReportSuccess success) => task.Result == success.Result,
            (TaskState.Failed, ReportFailure) => true,
            _ => false,
        };

    private IActorRef Link(RegisterWorker registration)
    {
        var child = Context.ActorOf(NodeStateActor.Props(registration.Node, Sender, _caller?.Token), ChildName(registration.Node));
        _links[registration.Node] = new NodeLink(child, Sender, _caller?.Token);
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

    /// <summary>Whether the message being handled comes from <paramref name="node"/>'s current actor (not one it had before it registered again).</summary>
    private bool IsCurrentLink(string node) => _links.TryGetValue(node, out var link) && link.Child.Equals(Sender);

    /// <summary>Tells every node actor, in name order, of a cluster member's change: those whose agent lives there act on it.</summary>
    private void TellLinks(object membershipChange)
    {
        foreach (var node in _links.Keys.Order(StringComparer.Ordinal).ToList()) _links[node].Child.Tell(membershipChange);
    }

    private string ChildName(string node) => $"node-{Uri.EscapeDataString(node)}-{++_incarnations}";

    // Token: the session the agent registered in (secure scheduler only); a registration in another session is a new link.
    private sealed record NodeLink(IActorRef Child, IActorRef Agent, string? Token);

    // Claimants already told (and logged) that a name is held, so a retrying worker costs one log line, not one a retry.
    private readonly HashSet<(string Node, Address Claimant)> _refusedClaims = [];

    private void RefuseHeldName(string name, IActorRef holder, IActorRef claimant)
    {
        var reason = $"node name \"{name}\" is held by a live worker at {holder.Path.Address}: give this worker another name, " +
                     "or stop that one; the name is free once it leaves the cluster";
        claimant.Tell(ToAgent(new WorkerRegistrationRejected(name, reason)));
        if (_refusedClaims.Count > 1_000) _refusedClaims.Clear();
        if (_refusedClaims.Add((name, claimant.Path.Address)))
            _log.Warning("refused worker node {0} from {1}: the name is held by the live worker at {2}", name, claimant.Path.Address, holder.Path.Address);
    }
}
