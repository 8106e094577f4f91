using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The scheduler's link to one worker node's agent, and the agent's only contact after registration:
/// it answers the registration, passes starts and cancels to the agent, passes the agent's reports up
/// with the node's name and relays the scheduler's answers back, and watches the agent: when it
/// terminates, the node is lost. What the node has and runs
/// is kept in <see cref="SchedulerState"/> with everything else, so that it changes only through events.
/// <para>
/// Batches (<see cref="MessageBatch"/>) from the scheduler go to the agent as they are (the agent handles them
/// message by message); a batch of reports from the agent is passed up report by report.
/// </para>
/// </summary>
internal sealed class NodeStateActor : ReceiveActor
{
    private readonly string _node;
    private readonly IActorRef _agent;

    public NodeStateActor(string node, IActorRef agent)
    {
        _node = node;
        _agent = agent;
        Receive<MessageBatch>(batch =>
        {
            if (Sender.Equals(_agent))
            {
                foreach (var message in batch.Messages)
                {
                    if (message is IWorkerReport report) Context.Parent.Tell(new NodeReport(_node, report));
                    else Unhandled(message);
                }
            }
            else _agent.Tell(batch);
        });
        Receive<StartTask>(start => _agent.Tell(start));
        Receive<CancelRunningTask>(cancel => _agent.Tell(cancel));
        Receive<AnnounceRegistration>(_ => _agent.Tell(new WorkerRegistered(_node)));
        Receive<IWorkerReport>(report => Context.Parent.Tell(new NodeReport(_node, report)));
        Receive<ReportRejected>(rejected => _agent.Tell(rejected));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_agent), _ => Context.Parent.Tell(new AgentTerminated(_node, _agent)));
    }

    public static Props Props(string node, IActorRef agent) => Akka.Actor.Props.Create(() => new NodeStateActor(node, agent));

    protected override void PreStart()
    {
        Context.Watch(_agent);
        _agent.Tell(new WorkerRegistered(_node));
    }
}
