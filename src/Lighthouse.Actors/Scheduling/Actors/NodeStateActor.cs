using Akka.Actor;
using Akka.Event;
using Lighthouse.Messaging;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Scheduling;

/// <summary>
/// One worker node's link, a child of the <see cref="SchedulerActor"/> and the agent's only contact after registration.
/// It owns what ties the scheduler to that worker: the watch on its agent and its cluster member's reachability (told
/// up as <see cref="NodeLost"/>, once, and <see cref="NodeReachability"/>); the check that reports come from the node's
/// agent (others are refused with <see cref="ReportRejected"/> and not passed up); progress coalescing (a task's
/// progress reports within one mailbox drain go up as one); and the outbox to the worker (starts, cancels, refusals and
/// acknowledgements batched per drain through <see cref="Outbox"/>; the final reports the scheduler acknowledged within
/// one drain leave as one <see cref="ReportsAcknowledged"/>). What the node has and runs is kept in <see cref="SchedulerState"/>
/// with everything else, so that it changes only through events.
/// <para>
/// A report is taken from the agent or from its own actor system (its member): the worker process trusts itself, a
/// sender on any other member is a stranger. In a secure scheduler (TLS, sessions: docs/authorization.md) the sender
/// proves nothing, so a report is taken only inside an <see cref="Authorized"/> with the token of the session that
/// registered the node, and what goes to the worker is wrapped with that token, so the worker knows it from the scheduler.
/// </para>
/// </summary>
internal sealed class NodeStateActor : ActorBase
{
    private readonly string _node;
    private readonly IActorRef _agent;
    private readonly string? _token;
    private readonly Outbox _outbox;
    private readonly LogThrottle _refusalLog = new(LogThrottle.DefaultInterval);
    private readonly ProgressCoalescer _progress = new();
    private const int AcknowledgedPerMessage = 1_000;
    private List<string>? _acknowledged;
    private bool _flushScheduled;
    private bool _lost;

    public NodeStateActor(string node, IActorRef agent, string? token)
    {
        _node = node;
        _agent = agent;
        _token = token;
        _outbox = token is null ? new Outbox() : new Outbox(message => new Authorized(token, message));
    }

    /// <param name="token">The session the agent registered in, in a secure scheduler; null in a plaintext one.</param>
    public static Props Props(string node, IActorRef agent, string? token = null) => Akka.Actor.Props.Create(() => new NodeStateActor(node, agent, token));

    protected override void PreStart()
    {
        Context.Watch(_agent);
        TellAgent(new WorkerRegistered(_node));
    }

    private void TellAgent(object message) => _agent.Tell(_token is null ? message : new Authorized(_token, message));

    protected override bool Receive(object message)
    {
        if (_token is not null && message is MessageBatch or IWorkerReport or Authorized) return ReceiveSecure(message);
        switch (message)
        {
            case MessageBatch batch:
                // Each message as if it had come alone from the batch's sender.
                foreach (var inner in batch.Messages)
                    if (inner is MessageBatch or FlushOutbox || !Receive(inner)) Unhandled(inner);
                return true;
            case IWorkerReport report:
                Report(report);
                return true;
            case FlushOutbox:
                Flush();
                return true;
            case Terminated terminated when terminated.ActorRef.Equals(_agent):
                Lost("its agent terminated");
                return true;
        }
        if (!Sender.Equals(Context.Parent)) return false;
        switch (message)
        {
            case ToWorker { Message: StartTask or CancelRunningTask or ReportRejected } down:
                _outbox.Add(_agent, down.Message);
                ScheduleFlush();
                return true;
            case ToWorker { Message: ReportsAcknowledged acknowledged }:
                // Gathered until the flush: one message for every report taken in this drain, not one per task.
                (_acknowledged ??= []).AddRange(acknowledged.TaskIds);
                ScheduleFlush();
                return true;
            case AnnounceRegistration:
                TellAgent(new WorkerRegistered(_node));
                return true;
            case ClusterMemberUnreachable member:
                if (IsAgentAt(member.Address)) Context.Parent.Tell(new NodeReachability(_node, false));
                return true;
            case ClusterMemberReachable member:
                if (IsAgentAt(member.Address)) Context.Parent.Tell(new NodeReachability(_node, true));
                return true;
            case ClusterMemberRemoved member:
                if (IsAgentAt(member.Address)) Lost("its cluster member was removed");
                return true;
            default:
                return false;
        }
    }

    /// <summary>A secure link's reports: only in the session that registered the node.</summary>
    private bool ReceiveSecure(object message)
    {
        if (message is not Authorized { Message: var inner } authorized || authorized.Token != _token)
        {
            var why = message is Authorized
                ? $"permission denied: reports for worker node \"{_node}\" are taken only in the session that registered it"
                : $"permission denied: this scheduler runs with TLS and takes reports for worker node \"{_node}\" only in the session that registered it";
            Sender.Tell(new NotAuthorized(why, SessionUnknown: false));
            if (_refusalLog.Allow(out var leftOut))
                Context.GetLogger().Warning("refused {0} for worker node {1} from {2}: {3}{4}", (message is Authorized a ? a.Message : message).GetType().Name,
                    _node, Sender.Path, why, leftOut > 0 ? $" ({leftOut} more since the last such line)" : "");
            return true;
        }
        foreach (var item in inner is MessageBatch batch ? batch.Messages : [inner])
        {
            if (item is IWorkerReport report) Report(report);
            else Unhandled(item);
        }
        return true;
    }

    private void Report(IWorkerReport report)
    {
        if (_token is null && !Sender.Equals(_agent) && !Sender.Path.Address.Equals(_agent.Path.Address))
        {
            Sender.Tell(new ReportRejected(report.TaskId,
                $"reports for worker node \"{_node}\" are taken only from its agent {_agent.Path}, not from {Sender.Path}"));
            return;
        }
        if (report is ReportProgress progress)
        {
            if (_progress.Hold(progress)) ScheduleFlush();
            return;
        }
        // The task's held progress goes first, so its end never overtakes it.
        if (_progress.Take(report.TaskId) is { } held) Up(held);
        Up(report);
    }

    private void Up(IWorkerReport report) => Context.Parent.Tell(new NodeReport(_node, report));

    private bool IsAgentAt(Address address) => _agent.Path.Address.Equals(address);

    /// <summary>The node is lost: told up once, after the progress still held.</summary>
    private void Lost(string why)
    {
        if (_lost) return;
        _lost = true;
        foreach (var held in _progress.TakeAll()) Up(held);
        Context.Parent.Tell(new NodeLost(_node, why));
    }

    /// <summary>Every message already waiting is handled before the flush: that is what makes one drain one batch.</summary>
    private void ScheduleFlush()
    {
        if (_flushScheduled) return;
        _flushScheduled = true;
        Self.Tell(FlushOutbox.Instance);
    }

    private void Flush()
    {
        _flushScheduled = false;
        if (!_progress.IsEmpty) foreach (var held in _progress.TakeAll()) Up(held);
        if (_acknowledged is { Count: > 0 } acknowledged)
        {
            // In pieces of ~10 KB, which the outbox can batch like any other message.
            foreach (var piece in acknowledged.Chunk(AcknowledgedPerMessage)) _outbox.Add(_agent, new ReportsAcknowledged(piece));
            _acknowledged = null;
        }
        _outbox.Flush(Self);
    }
}
